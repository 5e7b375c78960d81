/** The look shared by Gazette's transactional mails (the sign-up confirmation, the desk's notices). */
export const page = { backgroundColor: '#f4f4f5', fontFamily: 'Helvetica, Arial, sans-serif', margin: 0 };
export const box = {
  backgroundColor: '#ffffff',
  margin: '24px auto',
  maxWidth: '520px',
  padding: '32px 28px',
};
export const text = { color: '#27272a', fontSize: '15px', lineHeight: '24px' };
export const small = { ...text, color: '#71717a', fontSize: '13px', lineHeight: '20px' };
export const button = {
  backgroundColor: '#1d4ed8',
  borderRadius: '6px',
  color: '#ffffff',
  fontSize: '15px',
  fontWeight: 'bold',
  padding: '12px 22px',
  textDecoration: 'none',
};
/** Someone's own words quoted in a notice (a change request's comment), line breaks kept. */
export const quote = {
  ...text,
  borderLeft: '3px solid #d4d4d8',
  paddingLeft: '12px',
  whiteSpace: 'pre-wrap' as const,
};
