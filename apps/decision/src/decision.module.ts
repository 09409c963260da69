import { DynamicModule, Module } from '@nestjs/common';
import { DatabaseModule } from '@metergate/database';
import { MessagingModule } from '@metergate/messaging';
import { ACCESS_POLICY, PlatformModule, loadConfig } from '@metergate/platform';
import { AccessPolicy, CompiledPolicy } from '@metergate/policy';
import { AdmissionPublisher } from './decide/admission.publisher';
import { DecideGrpcService } from './decide/decide.grpc.service';
import { DecideHttpController } from './decide/decide.http.controller';
import { DecideService } from './decide/decide.service';
import { EnvoyRlsGrpcService } from './decide/envoy-rls.grpc.service';
import { DecisionConfig } from './decision.config';
import { DenialPublisher } from './denials/denial.publisher';
import { GrpcServer } from './grpc/grpc.server';
import { ReadModel } from './read-model/read-model';
import { ReadModelSync } from './read-model/read-model.sync';
import { SnapshotReader } from './read-model/snapshot.reader';

@Module({})
export class DecisionModule {
  static create(config: DecisionConfig = loadConfig(DecisionConfig)): DynamicModule {
    return {
      module: DecisionModule,
      imports: [PlatformModule.forRoot(config), DatabaseModule.forRoot(), MessagingModule],
      controllers: [DecideHttpController],
      providers: [
        {
          provide: ReadModel,
          inject: [ACCESS_POLICY],
          useFactory: (policy: AccessPolicy) =>
            new ReadModel(new CompiledPolicy(policy), {
              stalenessThresholdMs: config.DECISION_STALENESS_THRESHOLD_MS,
              idleEvictionMs: config.DECISION_IDLE_EVICTION_SECONDS * 1000,
              maxOrgs: config.DECISION_MAX_ORGS,
              idRetentionMs: config.DECISION_ID_RETENTION_SECONDS * 1000,
              pendingEventsMax: config.DECISION_PENDING_EVENTS_MAX,
            }),
        },
        SnapshotReader,
        ReadModelSync,
        AdmissionPublisher,
        DenialPublisher,
        DecideService,
        DecideGrpcService,
        EnvoyRlsGrpcService,
        GrpcServer,
      ],
    };
  }
}
