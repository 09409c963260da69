import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { PlatformConfig, retryWithBackoff } from '@metergate/platform';
import { Admin, ConfigResourceTypes } from 'kafkajs';
import { KafkaClient } from './kafka-client';
import { settingsToAlter, topicSettings } from './topic-settings';

export interface TopicSpec {
  topic: string;
  partitions: number;
}

/** DescribeConfigs' source of a setting made on the topic itself (TOPIC_CONFIG). */
const SET_ON_TOPIC = 1;

/** How long new topics may take to get their leaders before the app's start fails. */
const LEADERS_WAIT_MS = 30_000;

@Injectable()
export class TopicAdmin implements OnModuleDestroy {
  private readonly logger = new Logger(TopicAdmin.name);
  private stopping = false;

  constructor(
    private readonly client: KafkaClient,
    private readonly config: PlatformConfig,
  ) {}

  /**
   * Creates the topics that are missing, with their settings (topicSettings), and waits for their
   * leaders: auto-creation on KRaft answers "does not host this topic-partition" to the first produce,
   * so topics are never left to it. Topics that exist with other settings are given them, with a
   * warning that names the old values: every app runs this at start, so a topic created by an older
   * version, by hand or by a broker default gets the retention Metergate relies on.
   */
  async ensureTopics(specs: TopicSpec[]): Promise<void> {
    const admin = await this.client.sharedAdmin();
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.topic));
    if (missing.length > 0) {
      await admin
        .createTopics({
          // kafkajs's own wait gives up on the UNKNOWN_TOPIC_OR_PARTITION a busy KRaft broker may still
          // answer for a topic it just created; waitForLeaders below retries it.
          waitForLeaders: false,
          topics: missing.map((s) => ({
            topic: s.topic,
            numPartitions: s.partitions,
            replicationFactor: -1,
            configEntries: Object.entries(topicSettings(this.config, s.topic) ?? {}).map(([name, value]) => ({
              name,
              value,
            })),
          })),
        })
        .catch((error: { type?: string }) => {
          // Another app created it between our list and create: that is the outcome we wanted.
          if (error.type !== 'TOPIC_ALREADY_EXISTS') throw error;
        });
      await waitForLeaders(
        admin,
        missing.map((s) => s.topic),
      );
    }
    await this.alignSettings(specs.filter((s) => existing.has(s.topic)).map((s) => s.topic));
  }

  private async alignSettings(topics: string[]): Promise<void> {
    const wanted = new Map(
      topics.flatMap((topic) => {
        const settings = topicSettings(this.config, topic);
        return settings ? [[topic, settings] as const] : [];
      }),
    );
    if (wanted.size === 0) return;
    const admin = await this.client.sharedAdmin();
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [...wanted.keys()].map((name) => ({ type: ConfigResourceTypes.TOPIC, name })),
    });
    for (const resource of described.resources) {
      const current = resource.configEntries.map((e) => ({
        name: e.configName,
        value: e.configValue,
        onTopic: Number(e.configSource) === SET_ON_TOPIC,
      }));
      const settings = settingsToAlter(current, wanted.get(resource.resourceName)!);
      if (!settings) continue;
      const before = Object.keys(wanted.get(resource.resourceName)!)
        .map((name) => `${name}=${current.find((c) => c.name === name)?.value ?? 'unset'}`)
        .join(', ');
      this.logger.warn(
        `topic ${resource.resourceName} had ${before}; setting ${Object.entries(
          wanted.get(resource.resourceName)!,
        )
          .map(([name, value]) => `${name}=${value}`)
          .join(', ')}`,
      );
      await admin.alterConfigs({
        validateOnly: false,
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name: resource.resourceName,
            configEntries: Object.entries(settings).map(([name, value]) => ({ name, value })),
          },
        ],
      });
    }
  }

  /** Like ensureTopics, but keeps retrying with backoff while Kafka is unreachable (apps start anyway). */
  async ensureTopicsWithRetry(specs: TopicSpec[]): Promise<boolean> {
    const done = await retryWithBackoff(() => this.ensureTopics(specs).then(() => true), {
      what: `create ${specs.map((s) => s.topic).join(', ')} yet`,
      logger: this.logger,
      stopped: () => this.stopping,
    });
    return done === true;
  }

  onModuleDestroy(): void {
    this.stopping = true;
  }
}

/**
 * Until every partition of the topics has a leader. A busy KRaft broker may answer metadata for a topic
 * it just created with UNKNOWN_TOPIC_OR_PARTITION for a moment: that answer is asked again.
 */
export async function waitForLeaders(admin: Admin, topics: string[]): Promise<void> {
  const deadline = Date.now() + LEADERS_WAIT_MS;
  for (;;) {
    const metadata = await admin.fetchTopicMetadata({ topics }).catch(() => undefined);
    const led = metadata?.topics.filter(
      (t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0),
    );
    if (led?.length === topics.length) return;
    if (Date.now() > deadline) {
      throw new Error(`topics ${topics.join(', ')} have no leaders after ${LEADERS_WAIT_MS / 1000} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
