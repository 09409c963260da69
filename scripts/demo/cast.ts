import { Random } from './random';

/**
 * What an organization does during the demo:
 * - production: applied, was approved, calls a lot, with every model;
 * - steady: a trial that stays within its limits;
 * - bursty: a trial whose batch jobs burst past 60 generate calls a minute (rate limited);
 * - heavy: a trial summarizing long documents, which exhausts the 500,000-character generate quota;
 * - applicant: a trial whose application waits for review;
 * - rejected: a trial whose application was rejected, and which goes on as a trial;
 * - suspended: an organization an admin suspended, whose calls are all denied.
 */
export type Profile = 'production' | 'steady' | 'bursty' | 'heavy' | 'applicant' | 'rejected' | 'suspended';

export interface DemoOrg {
  orgId: string;
  profile: Profile;
  users: string[];
  /** Calls a minute at intensity 1, outside bursts. */
  callsPerMinute: number;
  /** The second of each minute when a bursty org's job starts. */
  burstSecond: number;
}

/** Shares of the cast; the rest are steady trials. At least one of each once there are 8 organizations. */
const SHARES: [Profile, number][] = [
  ['production', 0.3],
  ['bursty', 0.14],
  ['heavy', 0.11],
  ['applicant', 0.11],
  ['rejected', 0.05],
  ['suspended', 0.03],
];

const COMPANIES = [
  'northwind',
  'contoso',
  'fabrikam',
  'tailspin',
  'wingtip',
  'litware',
  'proseware',
  'lucerne',
  'alpine-ski',
  'blue-yonder',
  'coho-winery',
  'fourth-coffee',
  'humongous',
  'trey-research',
  'wide-world',
  'woodgrove',
  'relecloud',
  'adatum',
  'margies-travel',
  'graphic-design',
  'southridge',
  'lamna',
  'consolidated',
  'vanarsdel',
  'first-up',
  'tasmanian',
  'bellows',
  'datum',
  'nod-publishers',
  'school-of-fine-art',
  'city-power',
  'munson-pickles',
  'leeward',
  'olympus-labs',
  'kestrel',
  'pinecrest',
];

const PEOPLE = [
  'alice',
  'bob',
  'carol',
  'dave',
  'erin',
  'frank',
  'grace',
  'heidi',
  'ivan',
  'judy',
  'mallory',
  'niaj',
  'olivia',
  'peggy',
  'rupert',
  'sybil',
  'trent',
  'victor',
  'walter',
  'yara',
];

function profiles(count: number): Profile[] {
  const cast: Profile[] = [];
  for (const [profile, share] of SHARES) {
    const n = Math.max(count >= 8 ? 1 : 0, Math.round(count * share));
    for (let i = 0; i < n && cast.length < count; i += 1) cast.push(profile);
  }
  while (cast.length < count) cast.push('steady');
  return cast;
}

/** The organizations of one run; `tag` keeps a second run's ids apart from the first's. */
export function castOrganizations(count: number, tag: string, random: Random): DemoOrg[] {
  return profiles(count).map((profile, i) => {
    const company = COMPANIES[i % COMPANIES.length];
    const round = Math.floor(i / COMPANIES.length);
    const people = random.int(2, profile === 'production' ? 8 : 5);
    const first = random.int(0, PEOPLE.length - 1);
    return {
      orgId: `${company}${round > 0 ? `-${round + 1}` : ''}-${tag}`,
      profile,
      users: Array.from({ length: people }, (_, k) => PEOPLE[(first + k) % PEOPLE.length]),
      callsPerMinute:
        profile === 'production' ? random.int(40, 120) : profile === 'heavy' ? 40 : random.int(6, 30),
      burstSecond: random.int(0, 59),
    };
  });
}
