import AjvCompiler, { type ValidatorFactory } from '@fastify/ajv-compiler';

type Validate = ((data: unknown) => unknown) & { errors?: unknown };
type RouteSchema = Parameters<ReturnType<ValidatorFactory>>[0];

/**
 * Fastify's own Ajv compiler, compiling each route's schema on the route's first request
 * instead of all of them before the server listens. Compiling the five families' schemas took
 * about a quarter of a second of every start-up, the biggest part after loading the modules;
 * the test suite sends every route a request, so a schema Ajv refuses still fails there.
 */
export function lazyValidatorCompiler(): ValidatorFactory {
  const build = AjvCompiler();
  const factory = (...args: Parameters<ValidatorFactory>) => {
    const compile = build(...args);
    return (route: RouteSchema) => {
      let validate: Validate | undefined;
      const lazy: Validate = (data) => {
        validate ??= compile(route) as Validate;
        const result = validate(data);
        // Fastify reads the failures from the function it was given.
        lazy.errors = validate.errors;
        return result;
      };
      return lazy;
    };
  };
  // The package types a validator as Ajv's whole ValidateFunction; Fastify calls it and reads
  // only `errors`, which the lazy one carries.
  return factory as unknown as ValidatorFactory;
}
