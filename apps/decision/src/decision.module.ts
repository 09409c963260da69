import { DynamicModule, Module } from '@nestjs/common';
import { DatabaseModule } from '@metergate/database';
import { MessagingModule } from '@metergate/messaging';
import { ACCESS_POLICY, PlatformModule, loadConfig } from '@metergate/platform';
import { AccessPolicy, CompiledPolicy } from '@metergate/policy';
import { AdmissionPublisher } from './decide/admission.publisher';
import { DecideGrpcService } from './decide/decide.grpc.service';
import { DecideHttpRoutes } from './decide/decide.http.routes';
import { DecideService } from './decide/decide.service';
import { EnvoyRlsGrpcService } from './decide/envoy-rls.grpc.service';
import { DecisionConfig } from './decision.config';
import { DenialPublisher } from './denials/denial.publisher';
import { GrpcServer } from './grpc/grpc.server';
import { ReadModel } from './read-model/read-model';
import { ReadModelFollower } from './read-model/read-model.follower';
import { ReadModelHousekeeping } from './read-model/read-model.housekeeping';
import { ReadModelLoader } from './read-model/read-model.loader';
import { SnapshotReader } from './read-model/snapshot.reader';
import { UncertainFacts } from './read-model/uncertain-facts';
import { ReplicaIdentity } from './replica-identity';

@Module({})
export class DecisionModule {
  static create(config: DecisionConfig = loadConfig(DecisionConfig)): DynamicModule {
    return {
      module: DecisionModule,
      imports: [PlatformModule.forRoot(config), DatabaseModule.forRoot(), MessagingModule],
      providers: [
        {
          provide: ReadModel,
          inject: [ACCESS_POLICY],
          useFactory: (policy: AccessPolicy) =>
            new ReadModel(
              new CompiledPolicy(policy),
              {
                stalenessThresholdMs: config.DECISION_STALENESS_THRESHOLD_MS,
                maxOrgs: config.DECISION_MAX_ORGS,
                idCapacity: config.DECISION_ID_CAPACITY,
                idRetentionMs: config.DEDUPE_RETENTION_HOURS * 3_600_000,
                maxReservations: config.DECISION_MAX_RESERVATIONS,
                maxUncertainFacts: config.DECISION_MAX_UNCERTAIN_FACTS,
              },
              Date.now(),
            ),
        },
        ReplicaIdentity,
        SnapshotReader,
        ReadModelFollower,
        ReadModelLoader,
        UncertainFacts,
        ReadModelHousekeeping,
        AdmissionPublisher,
        DenialPublisher,
        DecideService,
        DecideHttpRoutes,
        DecideGrpcService,
        EnvoyRlsGrpcService,
        GrpcServer,
      ],
    };
  }
}
