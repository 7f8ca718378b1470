import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { connect, TLSSocket } from "node:tls";
import selfsigned from "selfsigned";

export interface StorageProxy {
  /** `http://127.0.0.1:PORT`, for HTTPS_PROXY. */
  readonly url: string;
  /** The certificate it answers ACCOUNT.blob.core.windows.net with: a client trusts it beside the sandbox's CA. */
  readonly certPem: string;
  close(): Promise<void>;
}

/**
 * What lets an unmodified client that builds blob URLs from Azure's storage suffix (azure-ai-ml, az storage)
 * reach the sandbox: an HTTPS proxy (CONNECT) that answers `*.blob.core.windows.net:443` with a certificate of
 * its own and passes the bytes, Host header and all, to the sandbox over TLS. Any other host is refused: tests
 * talk only to 127.0.0.1.
 */
export async function startStorageProxy(sandboxOrigin: string, sandboxCaPem: string): Promise<StorageProxy> {
  const target = new URL(sandboxOrigin);
  const pems = await selfsigned.generate([{ name: "commonName", value: "sandbox storage proxy" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", digitalSignature: true, keyCertSign: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      { name: "subjectAltName", altNames: [{ type: 2, value: "*.blob.core.windows.net" }] },
    ],
  });
  const sockets = new Set<Socket>();
  const server: Server = createServer((_req, res) => res.writeHead(405).end());
  server.on("connect", (req, client: Socket) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => client.destroy());
    if (!/^[a-z0-9]{3,24}\.blob\.core\.windows\.net:443$/i.test(req.url ?? "")) {
      client.end("HTTP/1.1 403 Forbidden\r\n\r\n");
      return;
    }
    client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
    const inner = new TLSSocket(client, { isServer: true, cert: pems.cert, key: pems.private });
    const upstream = connect({ host: target.hostname, port: Number(target.port), ca: sandboxCaPem, servername: "localhost" });
    for (const s of [inner, upstream]) s.on("error", () => (inner.destroy(), upstream.destroy()));
    inner.pipe(upstream).pipe(inner);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    certPem: pems.cert,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
