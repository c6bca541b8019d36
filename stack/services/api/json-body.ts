/**
 * JSON request bodies, where an empty body is simply "no body". Fastify's default parser refuses
 * `Content-Type: application/json` with an empty body (400), but clients — k6 scripts among them —
 * commonly send that header on bodyless POSTs such as join; refusing them would count as API errors.
 */
import type { FastifyInstance } from 'fastify';
import { HttpError } from './http-error.ts';

export function acceptEmptyJsonBodies(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    try {
      // Plain JSON.parse is safe here: parsed bodies are read field by field, never merged into objects.
      done(null, JSON.parse(text));
    } catch {
      done(new HttpError(400, 'body is not valid JSON'), undefined);
    }
  });
}
