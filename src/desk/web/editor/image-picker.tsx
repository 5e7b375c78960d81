import { type DragEvent, useId, useState } from 'react';
import { type StoredImage, useImages, useUploadImage } from '../api/images.ts';
import { ErrorLine } from '../error-line.tsx';
import { useI18n } from '../i18n/i18n.tsx';

const TYPES = ['image/png', 'image/jpeg', 'image/webp'];

/** Upload (drop a file or pick one) into the issue's folder, or choose an image already there. */
export function ImagePicker({ issue, onPick }: { issue: number; onPick(image: StoredImage): void }) {
  const { t } = useI18n();
  const id = useId();
  const images = useImages(issue);
  const upload = useUploadImage(issue);
  const [wrongType, setWrongType] = useState(false);
  const [open, setOpen] = useState(false);

  const send = (file: File | undefined) => {
    if (!file) return;
    setWrongType(!TYPES.includes(file.type));
    if (TYPES.includes(file.type)) upload.mutate(file, { onSuccess: onPick });
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    send(e.dataTransfer.files[0]);
  };

  return (
    <div className="image-picker">
      {/* biome-ignore lint/a11y/noStaticElementInteractions: dropping is the mouse's shortcut; the file input inside is the keyboard's way */}
      <div className="drop" onDragOver={(e) => e.preventDefault()} onDrop={onDrop}>
        <label htmlFor={id}>{t('uploadImage')}</label>
        <input id={id} type="file" accept={TYPES.join(',')} onChange={(e) => send(e.target.files?.[0])} />
        <small className="hint">{t('uploadHint')}</small>
      </div>
      {upload.isPending && <progress aria-label={t('uploading')} />}
      {wrongType && (
        <p role="alert" className="error">
          {t('uploadWrongType')}
        </p>
      )}
      <ErrorLine error={upload.error} />
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
        {t('chooseImage')}
      </button>
      {open && (
        <ul className="thumbs">
          {(images.data ?? []).map((img) => (
            <li key={img.src}>
              <button type="button" onClick={() => onPick(img)}>
                <img src={`/${img.src.replace(/^\/+/, '')}`} alt="" width={96} />
                <span>{img.src.split('/').pop()}</span>
              </button>
            </li>
          ))}
          {images.data?.length === 0 && <li>{t('noImages')}</li>}
        </ul>
      )}
    </div>
  );
}
