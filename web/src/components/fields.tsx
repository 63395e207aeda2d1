/** Small form controls shared by the record and application forms. */
import { Radio } from 'antd';
import { useI18n } from '../i18n';
import { Tone } from './common';

/** What Form.Item injects into its child (value/onChange and the id its label points to). */
export type Controlled = { label: string; value?: unknown; onChange?: (e: any) => void; id?: string };

/** A yes/no choice with an accessible name; `yes`/`no` rename the two answers (e.g. 有效/无效). */
export function YesNo({ label, yes, no, ...rest }: Controlled & { yes?: string; no?: string }) {
  const { t } = useI18n();
  return (
    <Radio.Group
      {...rest}
      aria-label={label}
      optionType="button"
      buttonStyle="solid"
      options={[
        { label: yes ?? t('yes'), value: true },
        { label: no ?? t('no'), value: false },
      ]}
    />
  );
}

/** A partner's places as a tag: places left (or unlimited), or `fullText` when it takes no referrals now. */
export function PlacesTag({ partner, fullText }: { partner: { acceptsReferrals: boolean; available: number | null }; fullText: string }) {
  const { t } = useI18n();
  return partner.acceptsReferrals ? (
    <Tone tone="green">{partner.available === null ? t('unlimited') : t('placesLeft', { n: partner.available })}</Tone>
  ) : (
    <Tone tone="orange">{fullText}</Tone>
  );
}
