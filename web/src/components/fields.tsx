/** Small form controls shared by the record and application forms. */
import { Radio } from 'antd';
import { useI18n } from '../i18n';
import { Tone } from './common';

/** What Form.Item injects into its child (value/onChange and the id its label points to). */
export type Controlled = { label: string; value?: unknown; onChange?: (e: any) => void; id?: string };

/** Two or more answers as buttons, with an accessible name. */
export function Choice({ label, options, ...rest }: Controlled & { options: { label: string; value: unknown }[] }) {
  return <Radio.Group {...rest} aria-label={label} optionType="button" buttonStyle="solid" options={options as any} />;
}

/** A yes/no choice; `yes`/`no` rename the two answers (e.g. 有效/无效). */
export function YesNo({ yes, no, ...rest }: Controlled & { yes?: string; no?: string }) {
  const { t } = useI18n();
  return (
    <Choice
      {...rest}
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
