export { CourierApiError } from "@courier-ts/core";
export type ForbiddenLike = { type?: string };
