import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { type DomainErrorCode, type FieldError, isDomainError } from '../../core/domain-error.js';
import {
  clientMistake,
  type FamilyRefusal,
  logClientMistake,
  readMissingBodyAsEmpty,
  refuseNulCharacters,
} from './client-mistakes.js';
import { schemaErrorsToFields } from './validation-errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The Chinese names of this route's fields where the family's would be missing or mean
     * another thing (a park's `name` is not a loan customer's).
     */
    fieldLabels?: Readonly<Record<string, string>>;
  }
}

/**
 * A family whose requests are forms or JSON objects of named fields and whose failures list
 * the bad fields (families 1 and 2): what differs between them is only their envelope.
 */
export interface FieldFamily {
  refusal: FamilyRefusal;
  httpStatus: Readonly<Record<DomainErrorCode, number>>;
  /** The failure body; `request` lets a family whose calls differ in shape answer each in its own. */
  fail(message: string, fields: readonly FieldError[] | undefined, request: FastifyRequest): unknown;
  /** Each field's Chinese name, for the messages of a request its schema refuses. */
  labels: Readonly<Record<string, string>>;
  /** The message when a refusal names no field. */
  invalidMessage: string;
}

/** The family's body handling and its own error handler, on the family's unwrapped plugin. */
export function guardFieldFamily(app: FastifyInstance, family: FieldFamily): void {
  // Fastify's default text/plain parser would hand a route a string, refused as one error on
  // field "" instead of a 415.
  app.removeContentTypeParser('text/plain');
  app.addHook('preValidation', readMissingBodyAsEmpty);
  app.addHook('preValidation', refuseNulCharacters);
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isDomainError(error)) {
      return reply
        .status(family.httpStatus[error.code])
        .send(family.fail(error.message, error.fields, request));
    }
    const mistake = clientMistake(error);
    if (mistake) {
      logClientMistake(request, error, mistake);
      return family.refusal.refuse(reply, mistake);
    }
    if (error.validation) {
      const own = request.routeOptions.config?.fieldLabels;
      const fields = schemaErrorsToFields(
        error.validation,
        own ? { ...family.labels, ...own } : family.labels,
      );
      return reply.status(200).send(family.fail(fields[0]?.error ?? family.invalidMessage, fields, request));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send(family.fail('服务器内部错误', undefined, request));
  });
}
