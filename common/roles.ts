/** Staff roles of the workstation. Every API method names the roles that may call it (see common/api.ts). */
export const ROLES = ['registrar', 'operator', 'cashier', 'physician', 'nurse', 'administrator'] as const;
export type Role = (typeof ROLES)[number];

/** A physician's specialty decides which services' physician steps they can take. */
export const SPECIALTIES = ['therapist', 'paediatrician', 'gp', 'phthisiatrician', 'psychiatrist', 'narcologist', 'counselling'] as const;
export type Specialty = (typeof SPECIALTIES)[number];

export const LANGUAGES = ['kk', 'ru', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'kk';
