import { useSuspenseInfiniteQuery, useSuspenseQuery } from "@tanstack/react-query";
import { Suspense } from "react";
import { courierQueries, useCourierApi } from "../../index.js";

function Preferences() {
  const { data } = useSuspenseQuery(courierQueries.preferences(useCourierApi())); // data is never undefined
  return <p>{data.sections.length} sections</p>;
}
function Inbox() {
  const { data } = useSuspenseInfiniteQuery(courierQueries.messages(useCourierApi(), { tags: ["billing"] }));
  return <p>{data.pages[0]?.results.length} messages</p>;
}
export function Page() {
  return (
    <Suspense fallback={<p>Loading…</p>}>
      <Preferences />
      <Inbox />
    </Suspense>
  );
}
