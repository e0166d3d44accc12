import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { ConfigModule } from '../config/config.module';
import { BillingController, BillingQueryHandler } from './billing.http';

/** Billing quantities from the billing intervals' read model (SPEC 6). */
@Module({
  imports: [AccountsModule, ConfigModule],
  controllers: [BillingController],
  providers: [BillingQueryHandler],
})
export class BillingModule {}
