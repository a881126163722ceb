// quaver-dsp/serve: the package's dev server (node only), also the
// `quaver-dsp-serve` command. Every path is cross-origin isolated
// (COOP same-origin + COEP require-corp) except under /plain/.

export interface ServeOptions {
  /** Directory to serve (default: the current directory). */
  root?: string;
  /** TCP port; 0 picks a free one (default 0). */
  port?: number;
  /** Interface to listen on (default '127.0.0.1'). */
  host?: string;
  /** HTML served from memory, keyed by path (after any /plain/ or /isolated/ prefix). */
  pages?: Record<string, string>;
}

export interface DevServer {
  /** e.g. 'http://127.0.0.1:8080' */
  readonly origin: string;
  close(): Promise<void>;
}

export function startServer(options?: ServeOptions): Promise<DevServer>;
