export const ROLES = ['clerk', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_LABEL: Record<Role, string> = { clerk: '窗口经办人', supervisor: '审核人', admin: '管理员' };

/** Who may make a call: anyone (signing in itself), or a signed-in account of at least this role. */
export type Access = 'public' | Role;

const RANK: Record<Role, number> = { clerk: 1, supervisor: 2, admin: 3 };

export function roleAtLeast(role: Role, required: Role): boolean {
  return RANK[role] >= RANK[required];
}
