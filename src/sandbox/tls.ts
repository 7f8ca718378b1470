import selfsigned from "selfsigned";

export interface SandboxCertificate {
  /** PEM certificate: what clients trust (`tlsOptions: { ca }`). */
  readonly certPem: string;
  /** PEM private key: stays in this process's memory, never written anywhere. */
  readonly keyPem: string;
}

/**
 * A fresh self-signed certificate for 127.0.0.1 and localhost, made at every start. Clients trust it per
 * client; nothing disables verification and nothing trusts it process-wide.
 */
export async function makeSandboxCertificate(): Promise<SandboxCertificate> {
  const now = new Date();
  const pems = await selfsigned.generate([{ name: "commonName", value: "aci-migrate sandbox" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notBeforeDate: new Date(now.getTime() - 60_000),
    notAfterDate: new Date(now.getTime() + 30 * 24 * 3600_000),
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", digitalSignature: true, keyCertSign: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 7, ip: "127.0.0.1" },
          { type: 2, value: "localhost" },
        ],
      },
    ],
  });
  return { certPem: pems.cert, keyPem: pems.private };
}
