// How a decrypted attachment may be shown (issue #15 item 5). The app runs in the node's origin
// with the user's session, so a file that can carry script (SVG, HTML, XHTML, PDF with its
// JavaScript, anything unknown) is never rendered there: only the passive image types below are
// shown inline, as an <img>, which runs no script. Everything else is download-only, and its
// object URL is typed application/octet-stream, so even opening that URL in a tab renders nothing.

const PASSIVE_IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif', 'image/bmp']);

// The MIME type without parameters, lower case: "Image/PNG; x=y" → "image/png".
const baseType = (contentType) => String(contentType ?? '').split(';')[0].trim().toLowerCase();

export const isPassiveImage = (contentType) => PASSIVE_IMAGE_TYPES.has(baseType(contentType));

// The type the attachment's object URL gets: its own when it is a passive image, else opaque bytes.
export const objectUrlType = (contentType) => (isPassiveImage(contentType) ? baseType(contentType) : 'application/octet-stream');
