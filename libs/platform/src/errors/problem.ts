import { HttpException } from '@nestjs/common';

/** One field at fault in a request (validation). */
export interface FieldError {
  field: string;
  message: string;
}

/** RFC 9457 problem details, as every REST error of Homeward is rendered (`application/problem+json`). */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldError[];
  /** Domain error code when the domain refused the request. */
  code?: string;
  requestId?: string;
  [extra: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** English / 中文 titles per status (staff and partner facing). */
export const PROBLEM_TITLES: Readonly<Record<number, string>> = {
  400: 'Bad request / 请求无效',
  401: 'Unauthorized / 未认证',
  403: 'Forbidden / 无权访问',
  404: 'Not found / 未找到',
  405: 'Method not allowed / 方法不允许',
  409: 'Conflict / 冲突',
  413: 'Payload too large / 请求体过大',
  415: 'Unsupported media type / 不支持的媒体类型',
  422: 'Unprocessable entity / 无法处理',
  429: 'Too many requests / 请求过于频繁',
  500: 'Internal server error / 服务器内部错误',
  502: 'Bad gateway / 网关错误',
  503: 'Service unavailable / 服务不可用',
};

export function problemTitle(status: number): string {
  return PROBLEM_TITLES[status] ?? (status >= 500 ? PROBLEM_TITLES[500] : PROBLEM_TITLES[400]);
}

/** `urn:homeward:problem:<slug>`: the problem `type` for a status or domain code. */
export function problemType(slug: string | number): string {
  const s = typeof slug === 'number' ? problemTitle(slug).split(' / ')[0] : slug;
  return `urn:homeward:problem:${s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;
}

/**
 * An HTTP error rendered as problem+json by the global filter:
 * `throw new ProblemException(409, 'Conflict / 冲突', 'Idempotency-Key reused with a different body', { code: 'IDEMPOTENCY_KEY_REUSED' })`.
 */
export class ProblemException extends HttpException {
  constructor(
    status: number,
    readonly title: string,
    readonly detail: string,
    readonly extras: Partial<ProblemDetails> & Record<string, unknown> = {},
  ) {
    super({ title, detail, ...extras }, status);
  }
}

/** 400 with `errors: [{ field, message }]` — what the global ValidationPipe throws. */
export class RequestValidationException extends ProblemException {
  constructor(readonly errors: FieldError[]) {
    super(400, problemTitle(400), `${errors.length} field(s) invalid / ${errors.length}个字段无效: ${errors.map((e) => e.field).join(', ')}`, {
      type: problemType('validation-failed'),
      errors,
    });
  }
}
