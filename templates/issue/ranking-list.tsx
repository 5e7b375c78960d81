import { MjmlColumn, MjmlSection, MjmlText } from '@faire/mjml-react';
import type { Ranking } from '../../src/issue/schema.ts';
import { SectionHeading } from './section-heading.tsx';
import { theme } from './theme.ts';

/** The click ranking: up to five numbered links. */
export function RankingList({ ranking, heading }: { ranking: Ranking; heading: string }) {
  return (
    <MjmlSection backgroundColor={theme.card} cssClass="gz-card" padding="16px 0">
      <MjmlColumn>
        <SectionHeading>{ranking.title ?? heading}</SectionHeading>
        <MjmlText fontSize="14px">
          <table role="presentation" cellPadding={0} cellSpacing={0} style={{ width: '100%' }}>
            <tbody>
              {ranking.items.map((item, i) => (
                <tr key={item.url}>
                  <td
                    style={{
                      width: '36px',
                      verticalAlign: 'top',
                      padding: '6px 0',
                      fontSize: '20px',
                      fontWeight: 'bold',
                      color: theme.accent,
                      lineHeight: '1.2',
                    }}
                  >
                    {i + 1}
                  </td>
                  <td style={{ padding: '6px 0', borderBottom: `1px solid ${theme.rule}` }}>
                    <a href={item.url} style={{ color: theme.text, textDecoration: 'none' }}>
                      {item.title}
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </MjmlText>
      </MjmlColumn>
    </MjmlSection>
  );
}
