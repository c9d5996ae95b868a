/**
 * `@courier-ts/react/api`: the typed generic hooks, for any operation of the Courier API (openapi-react-query
 * over `@courier-ts/client`). A subpath of its own so that an app using only the notification-center hooks,
 * which call its backend's proxy, does not load the client. They use the settings of the enclosing
 * `<CourierProvider>` (`apiBaseUrl`, `headers`, `getToken`, `fetch`).
 */
export { useCourierMutation, useCourierQuery } from "./hooks/useCourierQuery.js";
export { useCourierClient } from "./typedClient.js";
