import { PlatformConfig } from '@metergate/platform';
import { settingsToAlter, topicSettings } from './topic-settings';

const config = Object.assign(new PlatformConfig(), {
  USAGE_TOPIC: 'usage',
  CALLS_ADMITTED_TOPIC: 'admitted',
  ACCESS_EVENTS_TOPIC: 'access',
  KAFKA_USAGE_RETENTION_MS: -1,
});

describe("Metergate's topic settings", () => {
  it('keeps usage, admissions and access events forever by default, deleting nothing and compacting nothing', () => {
    for (const topic of ['usage', 'admitted', 'access']) {
      expect(topicSettings(config, topic)).toEqual({
        'cleanup.policy': 'delete',
        'retention.ms': '-1',
        'retention.bytes': '-1',
      });
    }
  });

  it('lets the retention of usage and admissions be configured, never that of access events', () => {
    const limited = Object.assign(new PlatformConfig(), config, { KAFKA_USAGE_RETENTION_MS: 31_536_000_000 });
    expect(topicSettings(limited, 'usage')?.['retention.ms']).toBe('31536000000');
    expect(topicSettings(limited, 'admitted')?.['retention.ms']).toBe('31536000000');
    expect(topicSettings(limited, 'access')?.['retention.ms']).toBe('-1');
  });

  it('leaves topics of other names to the broker', () => {
    expect(topicSettings(config, 'something.else')).toBeUndefined();
  });
});

describe('altering an existing topic', () => {
  const wanted = { 'cleanup.policy': 'delete', 'retention.ms': '-1', 'retention.bytes': '-1' };

  it('changes nothing when the topic already has the settings, inherited or its own', () => {
    expect(
      settingsToAlter(
        [
          { name: 'cleanup.policy', value: 'delete', onTopic: false },
          { name: 'retention.ms', value: '-1', onTopic: true },
          { name: 'retention.bytes', value: '-1', onTopic: false },
        ],
        wanted,
      ),
    ).toBeUndefined();
  });

  it("sets what differs and keeps the topic's other overrides, which an alteration would otherwise drop", () => {
    expect(
      settingsToAlter(
        [
          { name: 'cleanup.policy', value: 'compact', onTopic: true },
          { name: 'retention.ms', value: '604800000', onTopic: false },
          { name: 'retention.bytes', value: '-1', onTopic: false },
          { name: 'max.message.bytes', value: '2097152', onTopic: true },
          { name: 'segment.ms', value: '604800000', onTopic: false },
        ],
        wanted,
      ),
    ).toEqual({ ...wanted, 'max.message.bytes': '2097152' });
  });
});
