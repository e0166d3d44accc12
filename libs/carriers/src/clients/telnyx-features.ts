import type { CarrierHttp } from '../carrier-http';
import { CarrierFault } from '../carrier-fault';
import type { CarrierSettings } from '../carrier-settings';
import type { CnamSettings, E911Address, E911Applied, FeatureProvider } from '../feature-provider';
import { asObject, asString } from '../json-body';
import type { TelnyxApi } from './telnyx-api';

/** Telnyx accepts CNAM listing names of up to 15 letters, digits or spaces. */
const CNAM_LISTING = /^[A-Za-z0-9 ]{1,15}$/;

/**
 * e911 and CNAM on Telnyx v2: an emergency address (`POST /v2/addresses`)
 * enabled on the number (`POST /v2/phone_numbers/{id}/actions/enable_emergency`);
 * CNAM through the number's voice settings (`PATCH /v2/phone_numbers/{id}/voice`).
 * Sandbox answers without calling; `enableProvisioning: false` refuses (features cost money).
 */
export class TelnyxFeatureProvider implements FeatureProvider {
  readonly module = 'knm_telnyx' as const;

  constructor(private readonly api: TelnyxApi, private readonly settings: CarrierSettings) {}

  private get http(): CarrierHttp {
    return this.api.http;
  }

  async applyE911(e164: string, address: E911Address): Promise<E911Applied> {
    if (this.sandboxed('e911')) return { addressId: 'sandbox', sandbox: true };
    const { id, record } = await this.api.requirePhoneNumber(e164, 'e911');
    const created = await this.api.resource({ operation: 'e911', method: 'POST', path: '/v2/addresses', json: this.addressBody(address) });
    const addressId = asString(created.id);
    if (!addressId) throw this.http.malformed('e911', 'address without id');
    try {
      await this.setEmergency(id, addressId);
    } catch (error) {
      await this.deleteAddressQuietly(addressId);
      throw error;
    }
    const previous = asString(record.emergency_address_id);
    if (previous && previous !== addressId) await this.deleteAddressQuietly(previous);
    return { addressId, sandbox: false };
  }

  async removeE911(e164: string): Promise<void> {
    if (this.sandboxed('e911')) return;
    const record = await this.api.phoneNumber(e164, 'e911');
    if (!record) return;
    await this.setEmergency(String(record.id), null);
    const addressId = asString(record.emergency_address_id);
    if (addressId) await this.deleteAddressQuietly(addressId);
  }

  async applyCnam(e164: string, cnam: CnamSettings): Promise<void> {
    if (cnam.outbound && !CNAM_LISTING.test(cnam.outbound)) {
      throw this.http.fault('knm_telnyx cnam: the outbound name must be 1 to 15 letters, digits or spaces', { retriable: false, kind: 'invalid_request' });
    }
    if (this.sandboxed('cnam')) return;
    const listing = cnam.outbound
      ? { cnam_listing_enabled: true, cnam_listing_details: cnam.outbound }
      : { cnam_listing_enabled: false };
    const { id } = await this.api.requirePhoneNumber(e164, 'cnam');
    await this.patchVoice(id, { caller_id_name_enabled: cnam.inbound, cnam_listing: listing });
  }

  async removeCnam(e164: string): Promise<void> {
    if (this.sandboxed('cnam')) return;
    const record = await this.api.phoneNumber(e164, 'cnam');
    if (!record) return;
    await this.patchVoice(String(record.id), { caller_id_name_enabled: false, cnam_listing: { cnam_listing_enabled: false } });
  }

  private sandboxed(operation: string): boolean {
    if (!this.settings.enableProvisioning) {
      throw this.http.fault(`knm_telnyx ${operation}: provisioning is disabled for this module (enableProvisioning is false)`, { retriable: false, kind: 'refused' });
    }
    return this.settings.sandboxProvisioning;
  }

  private async setEmergency(phoneNumberId: string, addressId: string | null): Promise<void> {
    const voice = await this.api.resource({
      operation: 'e911', method: 'POST', path: `/v2/phone_numbers/${encodeURIComponent(phoneNumberId)}/actions/enable_emergency`,
      json: { emergency_enabled: addressId !== null, emergency_address_id: addressId },
    });
    // v2 answers voice settings with `emergency`; the recorded legacy answer had `e911_enabled`.
    const enabled = asObject(voice.emergency)?.emergency_enabled ?? voice.e911_enabled;
    if (typeof enabled === 'boolean' && enabled !== (addressId !== null)) {
      throw this.http.fault(`knm_telnyx e911: Telnyx did not ${addressId ? 'enable' : 'disable'} emergency service`, { retriable: false, kind: 'rejected' });
    }
  }

  private async patchVoice(id: string, body: Record<string, unknown>): Promise<void> {
    await this.api.resource({ operation: 'cnam', method: 'PATCH', path: `/v2/phone_numbers/${encodeURIComponent(id)}/voice`, json: body });
  }

  /** Addresses may be shared by other numbers; failing to delete one must not undo the feature change. */
  private async deleteAddressQuietly(addressId: string): Promise<void> {
    try {
      await this.api.call({ operation: 'e911 address cleanup', method: 'DELETE', path: `/v2/addresses/${encodeURIComponent(addressId)}` });
    } catch (error) {
      if (!(error instanceof CarrierFault)) throw error;
      this.http.warn('e911: could not delete a no longer used emergency address', { addressId, reason: error.message });
    }
  }

  private addressBody(a: E911Address): Record<string, unknown> {
    return {
      business_name: a.callerName,
      first_name: a.firstName ?? '',
      last_name: a.lastName ?? '',
      street_address: a.streetAddress,
      extended_address: a.extendedAddress,
      locality: a.locality,
      administrative_area: a.region,
      postal_code: a.postalCode,
      country_code: (a.country ?? 'US').toUpperCase(),
    };
  }
}
