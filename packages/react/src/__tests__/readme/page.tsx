// app/notifications/page.tsx (a server component)
import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import { cookies } from "next/headers";
import { courierQueries, createProxyApi } from "../../server.js";
import { NotificationCenter } from "./NotificationCenter"; // "use client", uses usePreferences() / useMessages()

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
