import type { MultipartFile, MultipartValue } from '@fastify/multipart';
import type { Req } from './types.ts';

export interface UploadedFile {
  field: string;
  name: string;
  bytes: Buffer;
}

const uploads = new WeakMap<Req, UploadedFile[]>();

/**
 * A `preValidation` hook for forms that may carry files (`enctype="multipart/form-data"`): the
 * fields become plain strings (lists when repeated), as an urlencoded form gives them, so the route's
 * schema and handler read both alike; the files wait for `uploadedFiles`. An urlencoded body is left
 * as it is. The CSRF check, an application hook, has already read `_csrf`.
 */
export async function plainMultipartFields(req: Req): Promise<void> {
  if (!req.isMultipart()) return;
  const body = (req.body ?? {}) as Record<string, MultipartFile | MultipartValue | (MultipartFile | MultipartValue)[]>;
  const fields: Record<string, string | string[]> = {};
  const files: UploadedFile[] = [];
  for (const [key, entry] of Object.entries(body)) {
    for (const part of ([] as (MultipartFile | MultipartValue)[]).concat(entry)) {
      if (part.type === 'file') {
        // A file input left empty still sends a part, without a name.
        if (part.filename) files.push({ field: key, name: part.filename, bytes: await part.toBuffer() });
        continue;
      }
      const value = String(part.value);
      const held = fields[key];
      fields[key] = held === undefined ? value : ([] as string[]).concat(held, value);
    }
  }
  req.body = fields;
  uploads.set(req, files);
}

/** The files a multipart form sent in `field` (none for an urlencoded form). */
export function uploadedFiles(req: Req, field: string): { name: string; bytes: Buffer }[] {
  return (uploads.get(req) ?? []).filter((f) => f.field === field).map(({ name, bytes }) => ({ name, bytes }));
}
