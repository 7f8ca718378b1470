/** Text placed in an HTML page's markup or attributes. */
export const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Text placed in a Markdown table's cell: a pipe would end the cell, a newline the row. */
export const markdownCell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
