import { ArgumentsHost, BadRequestException, ForbiddenException, NotFoundException } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { IsString, MinLength, ValidateNested, validateSync } from 'class-validator';
import { Type, plainToInstance } from 'class-transformer';
import { DomainError, DomainErrorCode } from '@homeward/domain';
import { ProblemException, RequestValidationException } from './problem';
import { toProblem } from './problem.mapper';
import { ProblemDetailsFilter } from './problem.filter';
import { flattenValidationErrors } from './validation';
import { formatGraphQLError } from './graphql-errors';

describe(toProblem.name, () => {
  it.each([
    [DomainErrorCode.ID_NUMBER_INVALID, 422],
    [DomainErrorCode.TOWN_UNKNOWN, 422],
    [DomainErrorCode.DATE_RANGE_INVALID, 422],
    [DomainErrorCode.ILLEGAL_TRANSITION, 422],
    [DomainErrorCode.NOT_FOUND, 404],
    [DomainErrorCode.CONFLICT, 409],
    [DomainErrorCode.FORBIDDEN, 403],
  ])('maps DomainError %s to %d', (code, status) => {
    const { problem, internal } = toProblem(new DomainError(code, 'refused / 拒绝', { field: 'person.idNumber' }), '/api/v1/x');
    expect(problem.status).toBe(status);
    expect(problem.code).toBe(code);
    expect(problem.instance).toBe('/api/v1/x');
    expect(problem.errors).toEqual([{ field: 'person.idNumber', message: 'refused / 拒绝' }]);
    expect(internal).toBe(false);
  });

  it('gives a Chinese title alongside the English one for 422', () => {
    const { problem } = toProblem(new DomainError(DomainErrorCode.TOWN_UNKNOWN, 'x'));
    expect(problem.title).toBe('Unprocessable entity / 无法处理');
    expect(problem.type).toBe('urn:homeward:problem:town-unknown');
  });

  it('renders validation errors as 400 with errors[{field,message}]', () => {
    const { problem } = toProblem(new RequestValidationException([{ field: 'person.name', message: 'name must be a string' }]));
    expect(problem.status).toBe(400);
    expect(problem.errors).toEqual([{ field: 'person.name', message: 'name must be a string' }]);
  });

  it('maps HttpExceptions by status', () => {
    expect(toProblem(new NotFoundException('no such route')).problem).toMatchObject({ status: 404, detail: 'no such route' });
    expect(toProblem(new ForbiddenException()).problem.status).toBe(403);
    expect(toProblem(new BadRequestException(['a is bad', 'b is bad'])).problem.detail).toBe('a is bad; b is bad');
  });

  it('keeps the title and extras of a ProblemException', () => {
    const { problem } = toProblem(new ProblemException(409, 'Conflict / 冲突', 'key reused', { code: 'IDEMPOTENCY_KEY_REUSED' }));
    expect(problem).toMatchObject({ status: 409, title: 'Conflict / 冲突', detail: 'key reused', code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('hides the internals of an unknown error behind a 500', () => {
    const { problem, internal } = toProblem(new Error('password=hunter2 at db.ts:12'));
    expect(problem.status).toBe(500);
    expect(JSON.stringify(problem)).not.toContain('hunter2');
    expect(internal).toBe(true);
  });

  it('passes through body-parser style exposed errors (413)', () => {
    const err = Object.assign(new Error('request entity too large'), { status: 413, expose: true });
    expect(toProblem(err).problem.status).toBe(413);
  });
});

describe(ProblemDetailsFilter.name, () => {
  function httpHost(): { host: ArgumentsHost; sent: { status?: number; type?: string; body?: string } } {
    const sent: { status?: number; type?: string; body?: string } = {};
    const res = {
      headersSent: false,
      setHeader: () => undefined,
      status(s: number) {
        sent.status = s;
        return this;
      },
      type(t: string) {
        sent.type = t;
        return this;
      },
      send(b: string) {
        sent.body = b;
        return this;
      },
    };
    const req = { originalUrl: '/api/v1/things', method: 'POST', id: 'req-1' };
    const host = {
      getType: () => 'http',
      switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }),
    } as unknown as ArgumentsHost;
    return { host, sent };
  }

  it('writes application/problem+json with the request id', () => {
    const { host, sent } = httpHost();
    new ProblemDetailsFilter().catch(new DomainError(DomainErrorCode.NOT_FOUND, 'gone'), host);
    expect(sent.status).toBe(404);
    expect(sent.type).toBe('application/problem+json');
    expect(JSON.parse(sent.body ?? '{}')).toMatchObject({ status: 404, detail: 'gone', instance: '/api/v1/things', requestId: 'req-1' });
  });

  it('rethrows for GraphQL so Apollo renders the error', () => {
    const host = { getType: () => 'graphql' } as unknown as ArgumentsHost;
    const err = new DomainError(DomainErrorCode.NOT_FOUND, 'gone');
    expect(() => new ProblemDetailsFilter().catch(err, host)).toThrow(err);
  });
});

class PersonDto {
  @IsString()
  @MinLength(2)
  name: string;
}
class EnrolDto {
  @ValidateNested()
  @Type(() => PersonDto)
  person: PersonDto;
}

describe(flattenValidationErrors.name, () => {
  it('names nested fields with dots', () => {
    const dto = plainToInstance(EnrolDto, { person: { name: 'x' } });
    const errors = flattenValidationErrors(validateSync(dto));
    expect(errors).toEqual([{ field: 'person.name', message: 'name must be longer than or equal to 2 characters' }]);
  });
});

describe(formatGraphQLError.name, () => {
  const wrap = (original: Error): GraphQLError => new GraphQLError(original.message, { originalError: original });

  it('sets extensions.code from a domain error, BAD_USER_INPUT for VALIDATION_FAILED', () => {
    const nf = formatGraphQLError({ message: 'gone' }, wrap(new DomainError(DomainErrorCode.NOT_FOUND, 'gone')));
    expect(nf.extensions?.code).toBe('NOT_FOUND');
    const it2 = formatGraphQLError({ message: 'x' }, wrap(new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, 'x')));
    expect(it2.extensions?.code).toBe('ILLEGAL_TRANSITION');
    const vf = formatGraphQLError({ message: 'x' }, wrap(new DomainError(DomainErrorCode.VALIDATION_FAILED, 'x', { field: 'after' })));
    expect(vf.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('maps 401/403 HttpExceptions to UNAUTHENTICATED/FORBIDDEN', () => {
    const unauth = formatGraphQLError({ message: 'x' }, wrap(new ProblemException(401, 'Unauthorized', 'token expired')));
    expect(unauth).toMatchObject({ message: 'token expired', extensions: { code: 'UNAUTHENTICATED' } });
    expect(formatGraphQLError({ message: 'x' }, wrap(new ForbiddenException())).extensions?.code).toBe('FORBIDDEN');
  });

  it('strips stack traces and internal messages in production', () => {
    const formatted = { message: 'db password wrong', extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at x'] } };
    const out = formatGraphQLError(formatted, wrap(new Error('db password wrong')), { production: true });
    expect(out.message).not.toContain('password');
    expect(out.extensions?.stacktrace).toBeUndefined();
    expect(out.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
  });

  it('issue 6 item 14: in development too, strips stack traces, internal messages and internal addresses', () => {
    const formatted = {
      message: 'request to http://127.0.0.1:3002/graphql failed, reason: connect ECONNREFUSED 127.0.0.1:3002',
      extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['FetchError: request to http://127.0.0.1:3002/graphql failed', '    at ClientRequest.<anonymous> (node_modules/node-fetch/lib/index.js:1:1)'] },
    };
    const out = formatGraphQLError(formatted, wrap(new Error(formatted.message)), { production: false });
    const text = JSON.stringify(out);
    expect(text).not.toMatch(/127\.0\.0\.1|3002|ECONNREFUSED|stacktrace|node_modules/);
    expect(out.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    // a known code whose message names an address loses the message too
    const known = formatGraphQLError({ message: 'connect to community-correction:3002 refused', extensions: { code: 'BAD_REQUEST' } }, new GraphQLError('x'));
    expect(known.message).not.toContain('3002');
    // a caller's own mistake keeps its message
    const mine = formatGraphQLError({ message: 'notices[0].person must be an object', extensions: { code: 'BAD_USER_INPUT' } }, new GraphQLError('x'));
    expect(mine.message).toBe('notices[0].person must be an object');
  });

  it('keeps Apollo codes such as GRAPHQL_VALIDATION_FAILED', () => {
    const out = formatGraphQLError({ message: 'Cannot query field', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }, new GraphQLError('x'), {
      production: true,
    });
    expect(out).toMatchObject({ message: 'Cannot query field', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
  });
});
