/**
 * Application updates for the clinic network (issue 17): the administrator drops electron-builder's output (the
 * installers and latest*.yml, as the generic provider expects them) into one folder, `--updates-dir DIR`, and the
 * server hands them, read-only, to enrolled workstations under GET /v1/updates/<file>.
 *
 * Only a manifest (latest*.yml), the release-notes file, or a file a manifest lists is served: no directory
 * listing, no other file of the folder, and a name with a path in it is refused before the disk is touched.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MANIFEST_NAME, manifestFiles, NOTES_FILE, parseUpdateManifest } from '../common/update-manifest';

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._ +-]{0,200}$/;

/** The names a workstation may ask for right now (read on each request: publishing needs no restart). */
function servableNames(dir: string): Set<string> {
  const names = new Set<string>();
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return names;
  }
  for (const entry of entries) {
    if (entry === NOTES_FILE) names.add(entry);
    if (!MANIFEST_NAME.test(entry)) continue;
    names.add(entry);
    try {
      for (const f of manifestFiles(parseUpdateManifest(fs.readFileSync(path.join(dir, entry), 'utf8')))) names.add(f);
    } catch {
      // A manifest being written or broken: serve it as it is (the desk reports the broken field), nothing more.
    }
  }
  return names;
}

export function registerUpdateRoutes(
  app: FastifyInstance,
  updatesDir: string | null | undefined,
  guard: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
): void {
  app.get('/v1/updates/:file', { preHandler: guard }, async (req, reply) => {
    const file = (req.params as { file: string }).file;
    const notFound = () => reply.code(404).send({ error: 'not-found', message: `no update file ${JSON.stringify(file)}` });
    if (!SAFE_NAME.test(file) || file.includes('..') || path.basename(file) !== file)
      return reply.code(400).send({ error: 'bad-request', message: 'file: a plain file name is expected' });
    if (!updatesDir || !servableNames(updatesDir).has(file)) return notFound();
    const full = path.join(updatesDir, file);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(full);
    } catch {
      return notFound();
    }
    if (!stat.isFile()) return notFound();
    const type = file.endsWith('.yml')
      ? 'text/yaml; charset=utf-8'
      : file === NOTES_FILE
        ? 'text/plain; charset=utf-8'
        : 'application/octet-stream';
    return reply.type(type).header('content-length', String(stat.size)).header('cache-control', 'no-store').send(fs.createReadStream(full));
  });
}
