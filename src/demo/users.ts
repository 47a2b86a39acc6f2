import type { Compartment, Role, Scope } from '../platform/access/roles.ts'
import { DEFAULT_SCOPE } from '../platform/access/roles.ts'

// Demo establishments: real prisons from the register, chosen to show scope at work.
// MDI and LEI are both in the Yorkshire group; FNI is in the high security estate and the same SOCU region;
// WWI is in London, another group and another region.
export const DEMO_ESTABLISHMENTS = ['MDI', 'LEI', 'FNI', 'WWI'] as const
export const FIRST_ESTABLISHMENT = DEMO_ESTABLISHMENTS[0]

type DemoUser = {
  username: Role
  displayName: string
  department: string
  scope: Scope
  compartments: Compartment[]
}

const person = (
  username: Role,
  displayName: string,
  department: string,
  compartments: Compartment[] = [],
): DemoUser => ({
  username,
  displayName,
  department,
  scope: DEFAULT_SCOPE[username],
  compartments,
})

/** One demo account per role, each named after its role, all at the first establishment. */
export const DEMO_USERS: readonly DemoUser[] = [
  person('reporter', 'Rachel Reporter', 'Residential'),
  person('analyst', 'Adam Analyst', 'Security'),
  person('head-of-security', 'Hannah Hughes', 'Security'),
  person('governor', 'Gareth Gordon', 'Senior leadership'),
  person('pgd', 'Priya Desai', 'Prison group'),
  person('ed-security', 'Edward Sykes', 'HMPPS Security'),
  person('socu', 'Sam Okafor', 'SOCU'),
  person('counter-corruption', 'Carol Cole', 'Counter-corruption', ['staff-corruption']),
  person('authorising-officer', 'Alan Osei', 'Senior leadership'),
  person('pio', 'Paula Irving', 'Police'),
  person('auditor', 'Aisha Ahmed', 'Assurance'),
  person('admin', 'Alex Admin', 'Digital'),
]

type DemoColleague = {
  username: string
  displayName: string
  department: string
  establishmentCode: (typeof DEMO_ESTABLISHMENTS)[number]
  role: Role
  compartments: Compartment[]
}

const reporterAt = (
  username: string,
  displayName: string,
  establishmentCode: DemoColleague['establishmentCode'],
): DemoColleague => ({
  username,
  displayName,
  department: 'Residential',
  establishmentCode,
  role: 'reporter',
  compartments: [],
})

/**
 * Colleagues beyond one account per role. Members of staff at the other demo prisons report what they see where they
 * work: the demo reports at each of those prisons are theirs, as the reports at the first establishment are the
 * `reporter` account's. An analyst cleared for counter-terrorism triages the extremism reports that the
 * counter-terrorism compartment keeps from every other demo account.
 */
export const DEMO_COLLEAGUES: readonly DemoColleague[] = [
  reporterAt('reporter-lei', 'Lewis Brennan', 'LEI'),
  reporterAt('reporter-fni', 'Fiona Marsh', 'FNI'),
  reporterAt('reporter-wwi', 'Winston Adebayo', 'WWI'),
  {
    username: 'ct-analyst',
    displayName: 'Connor Tate',
    department: 'Security',
    establishmentCode: FIRST_ESTABLISHMENT,
    role: 'analyst',
    compartments: ['counter-terrorism'],
  },
]
