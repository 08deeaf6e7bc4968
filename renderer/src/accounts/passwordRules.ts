/** The same rules the backend holds (core/contract/), checked here first so the form can say which field is wrong. */
export const USERNAME_PATTERN = /^[A-Za-z0-9_.-]{2,32}$/;
export const USERNAME_RULE = '用户名应为 2–32 位字母、数字或 _ . -';
export const MIN_PASSWORD_LENGTH = 8;

/** Why a new password (typed twice) cannot be used, or null when it can. */
export function newPasswordProblem(password: string, repeated: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `密码至少 ${MIN_PASSWORD_LENGTH} 位`;
  if (password !== repeated) return '两次输入的密码不一致';
  return null;
}
