import { CourierProvider, useCourierToken } from "../../index.js";
import { useCourierQuery } from "../../typedApi.js";

function Topics({ userId }: { userId: string }) {
  const { data } = useCourierQuery("get", "/users/{user_id}/preferences", { params: { path: { user_id: userId } } });
  return <p>{data?.items.length} topics</p>;
}
function WithCourierToken({ userId }: { userId: string }) {
  const { data } = useCourierToken(); // a Courier JWT for this user only, from your proxy's POST /token
  if (!data) {
    return null;
  }
  return (
    <CourierProvider apiBaseUrl="https://api.courier.com" getToken={() => data.token}>
      <Topics userId={userId} />
    </CourierProvider>
  );
}
export function Page({ userId }: { userId: string }) {
  return (
    <CourierProvider baseUrl="/api/courier">
      <WithCourierToken userId={userId} />
    </CourierProvider>
  );
}
