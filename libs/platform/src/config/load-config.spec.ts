import { PlatformConfig } from './platform.config';
import { ConfigError, loadConfig } from './load-config';

describe('loadConfig', () => {
  it('uses the defaults when nothing is set', () => {
    const config = loadConfig(PlatformConfig, {});
    expect(config).toMatchObject({
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      KAFKA_TOPIC_PARTITIONS: 12,
      LOG_LEVEL: 'info',
    });
  });

  it('converts numbers and lists from their environment strings', () => {
    const config = loadConfig(PlatformConfig, { KAFKA_TOPIC_PARTITIONS: '3', KAFKA_BROKERS: 'a:1, b:2' });
    expect(config.KAFKA_TOPIC_PARTITIONS).toBe(3);
    expect(config.KAFKA_BROKERS).toEqual(['a:1', 'b:2']);
  });

  it('names every bad variable and what it expects, all at once', () => {
    const load = () =>
      loadConfig(PlatformConfig, {
        DATABASE_URL: 'mysql://x',
        KAFKA_TOPIC_PARTITIONS: 'many',
        LOG_LEVEL: 'loud',
      });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/DATABASE_URL="mysql:\/\/x": DATABASE_URL must be a postgres:\/\/ URL/);
    expect(load).toThrow(/KAFKA_TOPIC_PARTITIONS="many": .*must be an integer/);
    expect(load).toThrow(/LOG_LEVEL="loud"/);
  });

  it.each([
    ['a malformed host', 'postgres://admin:s3cr3t@[db/metergate'],
    ['a port out of range', 'postgres://admin:s3cr3t@db:99999/metergate'],
    ['another scheme', 'mysql://admin:s3cr3t@db/metergate'],
    ['a space', 'postgres://admin:s3cr3t@db host/metergate'],
    ['a password holding @', 'postgres://admin:s3@cr3t@[db/metergate'],
  ])('refuses a DATABASE_URL with %s, and never prints its password', (_name, DATABASE_URL) => {
    const load = () => loadConfig(PlatformConfig, { DATABASE_URL });
    expect(load).toThrow(/DATABASE_URL=".*admin:\*\*\*@.*": DATABASE_URL must be a postgres:\/\/ URL/);
    expect(load).not.toThrow(/s3/);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig(PlatformConfig, { LOG_LEVEL: '' }).LOG_LEVEL).toBe('info');
  });
});
