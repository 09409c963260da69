import { Injectable } from '@nestjs/common';

/**
 * Wakes the outbox relay as soon as this process commits events, so a change reaches Kafka without
 * waiting for the next poll. A notice given while the relay is busy is kept, never lost.
 */
@Injectable()
export class OutboxSignal {
  private waiters: (() => void)[] = [];
  private noticed = false;

  notify(): void {
    if (this.waiters.length === 0) {
      this.noticed = true;
      return;
    }
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((wake) => wake());
  }

  /** Resolves on the next notice or after `ms`, whichever comes first. */
  wait(ms: number): Promise<void> {
    if (this.noticed) {
      this.noticed = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== wake);
        resolve();
      }, ms);
      this.waiters.push(wake);
    });
  }
}
