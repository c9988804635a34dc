/** The roles a grant can give on a tenant (optionally limited to one site or city). */
export const ROLES = ['admin', 'operator', 'technician', 'analyst', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** When a user holds several grants, the session uses the strongest one. */
export const ROLE_RANK: Record<Role, number> = {
  admin: 5,
  operator: 4,
  technician: 3,
  analyst: 2,
  viewer: 1,
};
