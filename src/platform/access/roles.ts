// Roles, permissions and compartments: the whole access policy in one file (DESIGN.md, "Who uses it").
// A module that adds a route adds its permission here and grants it to the roles that need it.

export const ROLES = [
  'reporter',
  'analyst',
  'head-of-security',
  'governor',
  'pgd',
  'ed-security',
  'socu',
  'counter-corruption',
  'authorising-officer',
  'pio',
  'auditor',
  'admin',
] as const
export type Role = (typeof ROLES)[number]

export const ROLE_NAMES: Record<Role, string> = {
  reporter: 'Member of staff (reporter)',
  analyst: 'Security analyst',
  'head-of-security': 'Head of security',
  governor: 'Governor',
  pgd: 'Prison group director',
  'ed-security': 'Executive director of security',
  socu: 'SOCU officer',
  'counter-corruption': 'Counter-corruption officer',
  'authorising-officer': 'Authorising officer',
  pio: 'Police prison intelligence officer',
  auditor: 'Auditor',
  admin: 'Administrator',
}

export const SCOPES = ['establishment', 'group', 'region', 'national'] as const
export type Scope = (typeof SCOPES)[number]

export const SCOPE_NAMES: Record<Scope, string> = {
  establishment: 'Own establishment',
  group: 'Prison group',
  region: 'SOCU region',
  national: 'National',
}

/** The scope a new user with this role gets unless an administrator chooses otherwise. */
export const DEFAULT_SCOPE: Record<Role, Scope> = {
  reporter: 'establishment',
  analyst: 'establishment',
  'head-of-security': 'establishment',
  governor: 'establishment',
  pgd: 'group',
  'ed-security': 'national',
  socu: 'region',
  'counter-corruption': 'establishment',
  'authorising-officer': 'establishment',
  pio: 'establishment',
  auditor: 'establishment',
  admin: 'national',
}

// Need-to-know compartments cut across roles: without one, its records do not exist for the user.
export const COMPARTMENTS = ['staff-corruption', 'chis', 'counter-terrorism'] as const
export type Compartment = (typeof COMPARTMENTS)[number]

export const COMPARTMENT_NAMES: Record<Compartment, string> = {
  'staff-corruption': 'Staff corruption',
  chis: 'Covert human intelligence sources (CHIS)',
  'counter-terrorism': 'Counter-terrorism',
}

export const PERMISSIONS = [
  'home:view',
  'users:manage',
  'tokens:manage',
  'audit:read',
  'reference:manage',
  'people:read',
  'people:manage',
  'people:protected-characteristics',
  'people:import',
  'flags:manage',
  'intelligence:submit',
  'intelligence:read',
  'intelligence:read-original',
  'intelligence:assess',
  'intelligence:disseminate',
  'intelligence:override-handling',
  'intelligence:configure',
  'intelligence:view-readers',
  'lss:read',
  'lss:edit',
  'lss:propose',
  'lss:decide',
  'lss:manage',
  'lss:assess',
  'lss:assure',
  'lss:set-assurance-level',
  'soc:read',
  'soc:nominate',
  'soc:trigger',
  'soc:case',
  'soc:manage',
  'searching:read',
  'searching:record',
  'searching:manage',
  'searching:interrogate',
] as const
export type Permission = (typeof PERMISSIONS)[number]

const EVERYONE: readonly Permission[] = ['home:view']
// Every member of staff reports intelligence and picks the people it concerns ("security is everyone's job").
// Officers search and record what they find, so every member of staff records searches and finds and reads the register.
const STAFF: readonly Permission[] = [
  ...EVERYONE,
  'people:read',
  'intelligence:submit',
  'lss:read',
  'searching:read',
  'searching:record',
]
// Readers of the establishment's (sanitised) intelligence picture.
const READER: readonly Permission[] = [...STAFF, 'intelligence:read']
// The security department: assess, grade, sanitise, link and share.
const SECURITY: readonly Permission[] = [
  ...READER,
  'soc:read',
  'soc:nominate',
  'soc:trigger',
  'people:manage',
  'flags:manage',
  'intelligence:read-original',
  'intelligence:assess',
  'intelligence:disseminate',
  // The search programme, exhibits and their chain, holds, disposals, permissions and measures on visitors.
  'searching:manage',
  'searching:interrogate',
]

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  reporter: [...STAFF],
  analyst: [...SECURITY, 'lss:propose'],
  'head-of-security': [
    ...SECURITY,
    // Owns the LSS: instructions, editors, acknowledgements, the risk assessment, amendments to propose.
    'lss:edit',
    'lss:propose',
    'lss:manage',
    'lss:assess',
    'people:protected-characteristics',
    'intelligence:override-handling',
    'intelligence:configure',
    'intelligence:view-readers',
    // Band 2 is managed locally (SOC PF 4.61): the head of security keeps its plans.
    'soc:case',
  ],
  governor: [
    ...READER,
    'soc:read',
    'people:protected-characteristics',
    'lss:propose',
    'lss:decide',
    'lss:manage',
    'lss:assess',
    'lss:assure',
  ],
  // LSS PF 4.19–4.20: the PGD, and only the PGD, sets the level of assurance and the additional checks.
  pgd: [...READER, 'soc:read', 'lss:decide', 'lss:assure', 'lss:set-assurance-level'],
  'ed-security': [...READER, 'soc:read', 'lss:decide'],
  // SOCU owns Band 1 plans, convenes the cohort meetings, moderates disruptions and takes the dip samples.
  socu: [
    ...READER,
    'people:protected-characteristics',
    'soc:read',
    'soc:nominate',
    'soc:trigger',
    'soc:case',
    'soc:manage',
  ],
  'counter-corruption': [...SECURITY],
  'authorising-officer': [...STAFF],
  // A police officer sees what is disseminated to them, not the prison's records; they may pass information in.
  pio: [...EVERYONE, 'intelligence:submit'],
  // Reads everything in scope, changes nothing.
  auditor: [
    ...EVERYONE,
    'people:read',
    'intelligence:read',
    'intelligence:read-original',
    'intelligence:view-readers',
    'lss:read',
    'soc:read',
    'searching:read',
    'audit:read',
    'people:protected-characteristics',
  ],
  // Administrators keep the reference data and imports, and read no intelligence.
  admin: [...EVERYONE, 'users:manage', 'tokens:manage', 'reference:manage', 'people:import'],
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value)
}

export function isCompartment(value: string): value is Compartment {
  return (COMPARTMENTS as readonly string[]).includes(value)
}

export function permissionsOf(roles: readonly Role[]): ReadonlySet<Permission> {
  return new Set(roles.flatMap(role => ROLE_PERMISSIONS[role]))
}
