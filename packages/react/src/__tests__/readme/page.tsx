// app/notifications/page.tsx (a server component)

import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { courierQueries, createProxyApi } from "../../server.js";

// Yours: a "use client" component that calls usePreferences() and useMessages().
declare function NotificationCenter(): ReactNode;
// From "next/headers": the incoming request's cookies.
declare function cookies(): Promise<{ toString(): string }>;

export default async function Page() {
  const queryClient = new QueryClient();
  const api = createProxyApi({
    baseUrl: `${process.env.APP_ORIGIN}/api/courier`,
    headers: { cookie: (await cookies()).toString() },
  });
  await Promise.all([
    queryClient.prefetchQuery(courierQueries.preferences(api)),
    queryClient.prefetchInfiniteQuery(courierQueries.messages(api)),
  ]);
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <NotificationCenter />
    </HydrationBoundary>
  );
}
