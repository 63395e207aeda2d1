import { DomainError } from '../common/domain-error';

/** Password policy (MLPS level 3): minimum length and character classes, both configurable. */
export function checkPasswordPolicy(pw: string, minLength: number, minClasses: number): void {
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(pw)).length;
  if (pw.length < minLength || classes < minClasses) {
    throw new DomainError(
      422,
      'WEAK_PASSWORD',
      `密码至少 ${minLength} 位，且包含大写字母、小写字母、数字、符号中的至少 ${minClasses} 类 / the password needs at least ${minLength} characters from ${minClasses} of: lower case, upper case, digits, symbols`,
    );
  }
}
