import { PlatformConfig } from '@metergate/platform';

/** Topic-level settings (Kafka's names and string values). */
export type TopicSettings = Record<string, string>;

const FOREVER = '-1';
const DENIALS_RETENTION_MS = 40 * 24 * 3_600_000;

/**
 * What each of Metergate's topics keeps, set explicitly rather than left to the broker's default (seven
 * days), which would let a rebuild lose whatever lifetime quotas counted before. Usage and admissions
 * are kept for KAFKA_USAGE_RETENTION_MS (forever by default: a rebuild of the lifetime totals needs
 * every event since the first). Access events are few and every one carries the organization's
 * resulting access: they are kept forever, never compacted, so that their offsets stay contiguous and
 * a replay sees every version. Other topics (tests' own) get the broker's defaults.
 */
export function topicSettings(config: PlatformConfig, topic: string): TopicSettings | undefined {
  const deleteOnly = { 'cleanup.policy': 'delete', 'retention.bytes': FOREVER };
  if (topic === config.USAGE_TOPIC || topic === config.CALLS_ADMITTED_TOPIC) {
    return { ...deleteOnly, 'retention.ms': String(config.KAFKA_USAGE_RETENTION_MS) };
  }
  if (topic === config.ACCESS_EVENTS_TOPIC) return { ...deleteOnly, 'retention.ms': FOREVER };
  // Longer than the 31 days the analysts' denial queries read, so a rebuild finds them all.
  if (topic === config.DENIALS_TOPIC) return { ...deleteOnly, 'retention.ms': String(DENIALS_RETENTION_MS) };
  return undefined;
}

/** A setting of an existing topic, as DescribeConfigs reports it. */
export interface CurrentSetting {
  name: string;
  value: string;
  /** Set on the topic itself, as opposed to inherited from the broker's defaults. */
  onTopic: boolean;
}

/**
 * The settings to give an existing topic so that it has `wanted`, or undefined when it already has
 * them. Kafka's AlterConfigs replaces the topic's whole set of overrides, so the overrides set on the
 * topic for other reasons are carried over unchanged.
 */
export function settingsToAlter(
  current: readonly CurrentSetting[],
  wanted: TopicSettings,
): TopicSettings | undefined {
  const values = new Map(current.map((s) => [s.name, s.value]));
  const differing = Object.entries(wanted).filter(([name, value]) => values.get(name) !== value);
  if (differing.length === 0) return undefined;
  const kept = Object.fromEntries(current.filter((s) => s.onTopic).map((s) => [s.name, s.value]));
  return { ...kept, ...wanted };
}
