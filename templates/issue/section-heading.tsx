import { MjmlText } from '@faire/mjml-react';
import { theme } from './theme.ts';

/** A section's heading: brand-coloured text behind an accent bar. */
export function SectionHeading({ children }: { children: string }) {
  return (
    <MjmlText fontSize="18px" fontWeight="bold" color={theme.brand} paddingBottom="6px">
      <span style={{ borderLeft: `4px solid ${theme.accent}`, paddingLeft: '10px' }}>{children}</span>
    </MjmlText>
  );
}
