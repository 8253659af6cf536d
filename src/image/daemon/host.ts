/**
 * Where the Docker Engine API listens, from a DOCKER_HOST value
 * (https://docs.docker.com/engine/reference/commandline/cli/#environment-variables):
 * `unix:///path/to/docker.sock` or `tcp://host[:port]` (plain HTTP; port 2375 by default).
 * The caller passes the value (the CLI reads DOCKER_HOST); no value means the local socket.
 * TLS (`DOCKER_TLS_VERIFY`), `ssh://` and `npipe://` hosts are not supported.
 */
import { DrydockError } from "../../errors.ts";

export const DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock";

export type DaemonEndpoint =
  | { kind: "unix"; socketPath: string; display: string }
  | { kind: "tcp"; host: string; port: number; display: string };

export function parseDockerHost(value: string | undefined): DaemonEndpoint {
  const text = value?.trim() || DEFAULT_DOCKER_HOST;
  const unavailable = (why: string) =>
    new DrydockError("DAEMON_UNAVAILABLE", `DOCKER_HOST "${text}": ${why}`, {
      hint: "use unix:///path/to/docker.sock or tcp://127.0.0.1:2375",
    });
  const scheme = /^([a-z]+):\/\//.exec(text)?.[1];
  if (scheme === "unix") {
    const socketPath = text.slice("unix://".length);
    if (!socketPath.startsWith("/")) throw unavailable("the socket path must be absolute");
    return { kind: "unix", socketPath, display: text };
  }
  if (scheme === "tcp" || scheme === "http") {
    let url: URL;
    try {
      url = new URL(`http://${text.slice(scheme.length + 3)}`);
    } catch {
      throw unavailable("not a valid host[:port]");
    }
    if (url.pathname !== "/" || url.search || url.username) throw unavailable("expected tcp://host[:port]");
    const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
    return { kind: "tcp", host, port: url.port ? Number(url.port) : 2375, display: text };
  }
  if (scheme === undefined && text.startsWith("/"))
    return { kind: "unix", socketPath: text, display: `unix://${text}` };
  throw unavailable(`the ${scheme ?? "given"} scheme is not supported (unix:// and tcp:// are)`);
}
