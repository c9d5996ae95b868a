// The one Next.js API the README's App Router example uses, declared so that the example type-checks here
// without installing Next.
declare module "next/headers" {
  export function cookies(): Promise<{ toString(): string }>;
}
