import { UserFixableError } from "./errors.js";
import { printable } from "./printable.js";

/**
 * What the operating system or the network refused, as a message the user can act on: a state folder that is
 * read-only or a file, a full disk, a server that stopped answering, a certificate that is not trusted.
 * Undefined for anything else (which stays a bug report).
 */
export function explainSystemError(e: unknown): UserFixableError | undefined {
  const err = e as NodeJS.ErrnoException & { cause?: unknown };
  // The Azure SDKs wrap a failed connection as REQUEST_SEND_ERROR and keep the system's code in the message.
  const code = err?.code === "REQUEST_SEND_ERROR" ? systemCodeIn(err.message) : typeof err?.code === "string" ? err.code : undefined;
  if (!code) return err?.cause && err.cause !== e ? explainSystemError(err.cause) : undefined;
  const path = err.path ? printable(err.path, 200) : undefined;
  const at = path ? ` ${path}` : "";
  switch (code) {
    case "EACCES":
    case "EPERM":
      return new UserFixableError(`Permission denied${err.syscall ? ` (${err.syscall})` : ""} on${at || " a file"}.`, {
        why: "aci-migrate keeps its sessions in the state folder and must be able to write there.",
        nextStep: "Make that folder writable for you, or choose another with --state-dir (or ACI_MIGRATE_STATE_DIR).",
        source: path,
        kind: "state",
      });
    case "EROFS":
      return new UserFixableError(`${path ?? "The folder"} is on a read-only file system.`, {
        why: "aci-migrate keeps its sessions in the state folder and must be able to write there.",
        nextStep: "Choose a writable folder with --state-dir (or ACI_MIGRATE_STATE_DIR).",
        source: path,
        kind: "state",
      });
    case "ENOSPC":
    case "EDQUOT":
      return new UserFixableError(`The disk is full${path ? ` (writing ${path})` : ""}.`, {
        why: "Files are written whole or not at all, so nothing was left half-written; the last complete state is kept.",
        nextStep:
          "Free some space (or choose another --state-dir / --out), then run the same command again: a started session resumes with `aci-migrate resume`.",
        source: path,
        kind: "state",
      });
    case "ENOTDIR":
    case "EEXIST":
      if (err.syscall !== "mkdir" && code === "EEXIST") return undefined;
      return new UserFixableError(`A file stands where a folder is needed${path ? `: ${path}` : ""}.`, {
        why: "The state folder (and its sessions/ and locks/ folders) must be folders.",
        nextStep: "Point --state-dir at a folder (a new one is made for you), or move that file away.",
        source: path,
        kind: "input",
      });
    case "EISDIR":
      return new UserFixableError(`${path ?? "A path"} is a folder where a file is expected.`, {
        nextStep: "Pass the file itself, or move the folder away.",
        source: path,
        kind: "input",
      });
    case "ENAMETOOLONG":
      return new UserFixableError(`A path is too long for the file system${path ? `: ${path}` : ""}.`, {
        nextStep: "Choose a shorter --state-dir or --out.",
        source: path,
        kind: "input",
      });
    case "EMFILE":
    case "ENFILE":
      return new UserFixableError("Too many files are open.", {
        why: "The system's limit on open files was reached.",
        nextStep: "Raise the limit (ulimit -n 4096) or migrate fewer services at once (--concurrency), then resume.",
        kind: "state",
      });
    case "ECONNREFUSED":
    case "ECONNRESET":
    case "EHOSTUNREACH":
    case "ENETUNREACH":
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "ETIMEDOUT":
      return unreachable(code, err);
    default:
      return isCertificateProblem(code) ? untrustedCertificate(code, err) : undefined;
  }
}

function host(err: { address?: string; port?: number; hostname?: string; message?: string }): string {
  if (err.hostname) return err.hostname;
  if (err.address) return `${err.address}${err.port ? `:${err.port}` : ""}`;
  return /(\d+\.\d+\.\d+\.\d+:\d+)/.exec(err.message ?? "")?.[1] ?? "the server";
}

function unreachable(code: string, err: NodeJS.ErrnoException & { address?: string; port?: number; hostname?: string }): UserFixableError {
  const where = host(err);
  const local = /^127\.|^localhost|^\[?::1/.test(where);
  return new UserFixableError(`Cannot reach ${where} (${code}).`, {
    why: local
      ? "Nothing answers there: the sandbox this command attached to has stopped (or was restarted on another port)."
      : "The network, a proxy or a firewall is in the way, or Azure's address cannot be resolved.",
    nextStep: local
      ? "Start the sandbox again (`aci-migrate --state-dir DIR sandbox`) and run the same command again; a started session resumes with `aci-migrate resume`."
      : "Check the connection (and HTTPS_PROXY if you use a proxy), then run the same command again; a started session resumes with `aci-migrate resume`.",
    kind: "state",
  });
}

function untrustedCertificate(code: string, err: { message?: string }): UserFixableError {
  return new UserFixableError(`The server's TLS certificate was not accepted (${code}).`, {
    why: `${printable(err.message ?? code, 200)}. A proxy that inspects TLS, or a sandbox certificate from an earlier start, is the usual cause; waiting does not help.`,
    nextStep:
      "Behind an inspecting proxy, give Node its CA with NODE_EXTRA_CA_CERTS=/path/to/ca.pem; for the sandbox, attach again (its CA is re-read from --state-dir at every start).",
    kind: "state",
  });
}

/** Whether a system error code says the server's certificate was not trusted (retrying will not help). */
export function isCertificateProblem(code: string | undefined): boolean {
  return code !== undefined && /CERT|SELF_SIGNED|TLS|SSL/.test(code);
}

/** The system error code a wrapped message names ("connect ECONNREFUSED 127.0.0.1:443", "self-signed certificate"). */
export function systemCodeIn(message: string | undefined): string | undefined {
  const m = /\b(E[A-Z]{3,}|[A-Z_]*CERT[A-Z_]*|SELF_SIGNED[A-Z_]*)\b/.exec(message ?? "");
  if (m) return m[1];
  return /certificate/i.test(message ?? "") ? "CERT_UNTRUSTED" : undefined;
}
