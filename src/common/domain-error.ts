/**
 * Domain errors carry a code and an HTTP status; one exception filter (http-exception.filter.ts)
 * maps them, Temporal Update refusals and validation errors to JSON responses with a reason.
 */
export class DomainError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 422 | 423 | 429 | 503,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Chinese names for the English `what` passed to notFound(); a trailing code (`org unit X`) is kept after the name. */
const NOT_FOUND_ZH: Record<string, string> = {
  person: '人员',
  case: '个案',
  task: '任务',
  'staff member': '工作人员',
  operation: '批量操作',
  user: '账号',
  'org unit': '单位',
  delivery: '消息发送记录',
  notification: '通知',
  figure: '统计指标',
};

/** `what` is English (`case`, `org unit 110101`) or already `中文 / English`; the message reads `中文 / English`. */
export function notFoundMessage(what: string): string {
  const split = what.indexOf(' / ');
  if (split >= 0) return `${what.slice(0, split)}不存在或不在您的管辖范围内 / ${what.slice(split + 3)} not found`;
  const key = Object.keys(NOT_FOUND_ZH)
    .filter((k) => what === k || what.startsWith(`${k} `))
    .sort((a, b) => b.length - a.length)[0];
  const zh = key ? `${NOT_FOUND_ZH[key]}${what.slice(key.length)}` : '记录';
  return `${zh}不存在或不在您的管辖范围内 / ${what} not found`;
}

export const notFound = (what: string) => new DomainError(404, 'NOT_FOUND', notFoundMessage(what));
export const forbidden = (message = '超出您的角色或辖区 / outside your role or area') => new DomainError(403, 'FORBIDDEN', message);
export const conflict = (code: string, message: string) => new DomainError(409, code, message);
export const unprocessable = (code: string, message: string, details?: unknown) => new DomainError(422, code, message, details);

/** Chinese half put before Nest's own English texts (route not found, validation pipe, throttling, …). */
const HTTP_ZH: Record<number, string> = {
  400: '请求内容不符合要求，请检查填写的内容',
  401: '未登录或登录已失效，请重新登录',
  403: '超出您的角色或辖区',
  404: '请求的接口或记录不存在',
  413: '提交的内容过大',
  429: '操作过于频繁，请稍后再试',
};
const hasChinese = (s: string) => /[\u4e00-\u9fff]/.test(s);

/** `中文 / English` for a message that is English only; messages already carrying Chinese pass unchanged. */
export function bilingualHttpMessage(status: number, message: string): string {
  if (hasChinese(message)) return message;
  const zh = HTTP_ZH[status] ?? (status >= 500 ? '服务暂时出错，请稍后再试' : '请求未能完成');
  return `${zh} / ${message}`;
}
