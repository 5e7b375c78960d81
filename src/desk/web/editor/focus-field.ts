/**
 * Scrolls to and focuses the form field named by a JSON path (each input's `name` is its path); a
 * path inside a field (`lead.summary[0]`, one paragraph of a text area) goes to that field. False when
 * the form shows no such field (the JSON view is open, or the field was removed).
 */
export function focusField(path: string): boolean {
  for (let at = path; at !== ''; at = at.replace(/(?:\.[^.[\]]+|\[\d+\])$|^[^.[\]]+$/, '')) {
    const field = document.querySelector<HTMLElement>(`[name="${CSS.escape(at)}"]`);
    if (field) {
      field.scrollIntoView({ block: 'center' });
      field.focus({ preventScroll: true });
      return true;
    }
  }
  return false;
}
