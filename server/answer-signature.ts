/**
 * The server's check of a signed answer before the citizen sees it (issue 14, point 7). A workstation of the
 * organization is not enough: the answer's CMS must verify over its document and be signed by the organization's
 * registered certificate. The first certificate is registered by the first answer it signs, if it carries the
 * organization's BIN and chains to the CA certificates published to the organization (`tirkeu-server publish`,
 * kind `ca-certificate`, the same rows the workstations verify citizens' requests with).
 */
import { createHash } from 'node:crypto';
import { certificateInfo, certificatesFromFile, type ParsedCertificate } from '../pki/certificate';
import { verifyOrganizationAnswer, type AnswerRefusal } from '../pki/verify-answer';
import type { Sql } from './db';

export interface AnswerRefused {
  reason: AnswerRefusal;
  number: string;
  message: string;
}

async function publishedAnchors(tx: Sql, orgBin: string): Promise<ParsedCertificate[]> {
  const r = await tx.query<{ payload: string }>(
    `SELECT payload FROM change_current WHERE org_bin = $1 AND kind = 'ca-certificate' AND NOT deleted`,
    [orgBin],
  );
  const out: ParsedCertificate[] = [];
  for (const row of r.rows) {
    try {
      const p = JSON.parse(row.payload) as { der?: string; pem?: string };
      const bytes = p.der ? Buffer.from(p.der, 'base64') : p.pem ? Buffer.from(p.pem, 'utf8') : null;
      if (bytes) out.push(...certificatesFromFile(bytes));
    } catch {
      // a published row that is not a certificate trusts nothing
    }
  }
  return out;
}

/** Null when the answer may be shown (registering its signer's certificate if new), else why not. */
export async function checkAnswerSignature(
  tx: Sql,
  orgBin: string,
  number: string,
  answer: { document?: unknown; cms?: unknown },
  at: string,
): Promise<AnswerRefused | null> {
  const registered = await tx.query<{ der: Uint8Array }>(`SELECT der FROM org_certificate WHERE org_bin = $1`, [orgBin]);
  const v = verifyOrganizationAnswer(answer, {
    orgBin,
    registered: registered.rows.map((r) => r.der),
    anchors: await publishedAnchors(tx, orgBin),
    at: new Date(at),
  });
  if (!v.ok) return { reason: v.code, number, message: v.message };
  if (!v.registered)
    await tx.query(
      `INSERT INTO org_certificate (org_bin, fingerprint, der, subject, registered_at, first_number) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT DO NOTHING`,
      [
        orgBin,
        createHash('sha256').update(v.signer.der).digest('hex'),
        Buffer.from(v.signer.der),
        certificateInfo(v.signer).name,
        at,
        number,
      ],
    );
  return null;
}
