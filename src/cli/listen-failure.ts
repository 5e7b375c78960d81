/**
 * The sentence a person reads when `what` ("The server") cannot listen on `port`: what happened and
 * what to do, named by the `setting` that chooses the port, never the socket's error code.
 */
export function listenFailure(what: string, port: number, setting: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'EADDRINUSE') {
    return `${what} cannot listen on port ${port}: another program (perhaps another gazette server) is using it. Stop it, or choose another port with ${setting}.`;
  }
  if (code === 'EACCES') {
    return `${what} may not listen on port ${port}: ports below 1024 need rights this user does not have. Choose another port with ${setting}.`;
  }
  return `${what} cannot listen on port ${port}. Choose another port with ${setting}.`;
}
