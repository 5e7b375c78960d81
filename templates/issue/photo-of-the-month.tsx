import { MjmlColumn, MjmlImage, MjmlSection, MjmlText } from '@faire/mjml-react';
import type { PhotoOfTheMonth as Photo } from '../../src/issue/schema.ts';
import { SectionHeading } from './section-heading.tsx';
import { theme } from './theme.ts';

/** The photo of the month: a heading, the picture, its caption. */
export function PhotoOfTheMonth({ photo, heading }: { photo: Photo; heading: string }) {
  return (
    <MjmlSection backgroundColor={theme.card} cssClass="gz-card" padding="16px 0">
      <MjmlColumn>
        <SectionHeading>{heading}</SectionHeading>
        <MjmlText fontSize="15px" fontWeight="bold" paddingBottom="8px">
          {photo.title}
        </MjmlText>
        <MjmlImage
          src={photo.image.src}
          alt={photo.image.alt}
          href={photo.url}
          width={photo.image.width ? `${Math.min(photo.image.width, 552)}px` : undefined}
          borderRadius="4px"
          // Without this the cell keeps its desktop width on phones, and a blocked image widens the page.
          fluidOnMobile
        />
        {photo.caption && (
          <MjmlText fontSize="13px" color={theme.muted} cssClass="gz-muted">
            {photo.caption}
          </MjmlText>
        )}
      </MjmlColumn>
    </MjmlSection>
  );
}
