import { HttpPeer, type PeerResponse } from './http-peer';

/** FCM v1 error body: a google.rpc.Status with an FcmError detail carrying the FCM error code. */
export function fcmError(httpStatus: number, status: string, errorCode: string, message: string, headers: Record<string, string> = {}): PeerResponse {
  return {
    status: httpStatus,
    headers,
    body: { error: { code: httpStatus, message, status, details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode }] } },
  };
}

/** FCM HTTP v1 messages:send: answers 200 {"name": "projects/<id>/messages/<n>"}. */
export function startFcmPeer(projectId: string): Promise<HttpPeer> {
  let n = 0;
  return HttpPeer.start((req) => {
    if (req.method !== 'POST' || req.url !== `/v1/projects/${projectId}/messages:send`) return fcmError(404, 'NOT_FOUND', 'UNSPECIFIED_ERROR', 'Requested entity was not found.');
    return { status: 200, body: { name: `projects/${projectId}/messages/${++n}` } };
  });
}

/** The token a request was for. */
export function fcmTokenOf(text: string): string {
  return (JSON.parse(text) as { message: { token: string } }).message.token;
}
