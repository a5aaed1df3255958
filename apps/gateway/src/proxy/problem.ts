import type { ServerResponse } from 'node:http';

/** RFC 9457 problem details, as every REST error in Homeward is shaped. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problem(status: number, title: string, detail?: string, instance?: string): Problem {
  return {
    type: `https://homeward.jiangyin.gov.cn/problems/${slug(title)}`,
    title,
    status,
    ...(detail !== undefined ? { detail } : {}),
    ...(instance !== undefined ? { instance } : {}),
  };
}

/** Write a problem+json answer on a raw Node response (the proxy runs below Nest's filters). */
export function sendProblem(res: ServerResponse, body: Problem, requestId?: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const json = JSON.stringify(body);
  res.statusCode = body.status;
  res.setHeader('content-type', PROBLEM_CONTENT_TYPE);
  res.setHeader('content-length', Buffer.byteLength(json));
  if (requestId) res.setHeader('x-request-id', requestId);
  res.end(json);
}

function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
