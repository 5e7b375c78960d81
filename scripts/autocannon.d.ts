// autocannon ships no types; this declares the part the benchmarks use.
declare module 'autocannon' {
  interface Options {
    url: string;
    connections?: number;
    duration?: number;
    headers?: Record<string, string>;
    requests?: {
      method?: string;
      setupRequest?: (req: Record<string, unknown>) => Record<string, unknown>;
    }[];
  }
  interface Result {
    requests: { average: number; total: number };
    latency: { p99: number; average: number };
    '2xx': number;
    '3xx': number;
    '4xx': number;
    '5xx': number;
    errors: number;
  }
  export default function autocannon(opts: Options): Promise<Result>;
}
