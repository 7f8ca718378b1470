/** The tool's name and version, as it introduces itself (user agent, --version, tags). */
export const PRODUCT_NAME = "aci-migrate";
export const PRODUCT_VERSION = "0.1.0";
export const USER_AGENT = `${PRODUCT_NAME}/${PRODUCT_VERSION}`;
