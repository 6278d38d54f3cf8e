// The MDN "Signaling and video calling" tutorial's client, as its code runs,
// for tests that prove the softphone stays compatible with it. Behaviour is
// kept line for line, including its quirks (hangUpCall() forgets the target
// before it sends, so its hang-up goes out with `target: null`).
//
// Where each part comes from:
//   [seed]       /work/shared/seeds/003_*.txt, the MDN page (German edition),
//                section named after the tag;
//   [chatclient] bsmth/examples webrtc-from-chat/chatclient.js (public domain,
//                CC0), for what the page leaves out (connect(), setUsername(),
//                the message switch, handleHangUpMsg()).
// Where the two differ the seed wins: it adds tracks with addTrack() and makes
// a new RTCPeerConnection for every offer; chatclient.js uses addTransceiver()
// and reuses the connection (with a rollback on glare).
//   [test]       changed or added for the tests, and nothing else: the server
//                URL comes from the page's query (the tutorial derives it from
//                its own host), iceServers is [] (the tutorial names a public
//                STUN server; tests reach loopback only), and a read-out of
//                what was sent and received (window.tutorialState).

"use strict";

// [test] The test serves this page; the signaling server is elsewhere.
const testParams = new URLSearchParams(window.location.search);
// [test] What the test reads. Nothing below reads it.
const testRecord = { sent: [], received: [] };

// [chatclient] WebSocket chat/signaling channel variables.
let connection = null;
let clientID = 0;

// [seed] "Starten eines Anrufs"
const mediaConstraints = {
  audio: true, // We want an audio track
  video: true, // And we want a video track
};

// [chatclient]
let myUsername = null;
let targetUsername = null; // To store username of other peer
let myPeerConnection = null; // RTCPeerConnection

// [chatclient]
function log_error(text) {
  let time = new Date();
  console.trace("[" + time.toLocaleTimeString() + "] " + text);
}

// [seed] "Senden von Nachrichten an den Signalisierungsserver"
function sendToServer(msg) {
  const msgJSON = JSON.stringify(msg);

  testRecord.sent.push(JSON.parse(msgJSON)); // [test]
  connection.send(msgJSON);
}

// [chatclient]
function setUsername() {
  myUsername = document.getElementById("name").value;

  sendToServer({
    name: myUsername,
    date: Date.now(),
    id: clientID,
    type: "username",
  });
}

// [chatclient] (chat text for the chat box left out: the page has none)
function connect() {
  let serverUrl = testParams.get("server"); // [test] was: scheme + "://" + window.location.host

  connection = new WebSocket(serverUrl, "json");

  connection.onerror = function (evt) {
    console.dir(evt);
  };

  connection.onmessage = function (evt) {
    let msg = JSON.parse(evt.data);
    testRecord.received.push(msg); // [test]

    switch (msg.type) {
      case "id":
        clientID = msg.id;
        setUsername();
        break;
      case "username":
        break;
      case "message":
        break;
      case "rejectusername":
        myUsername = msg.name;
        break;
      case "userlist":
        handleUserListMsg(msg);
        break;
      case "video-offer":
        handleVideoOfferMsg(msg);
        break;
      case "video-answer":
        handleVideoAnswerMsg(msg);
        break;
      case "new-ice-candidate":
        handleNewICECandidateMsg(msg);
        break;
      case "hang-up":
        handleHangUpMsg(msg);
        break;
      default:
        log_error("Unknown message received:");
        log_error(msg);
    }
  };
}

// [seed] "UI zum Starten eines Anrufs"
function handleUserListMsg(msg) {
  const listElem = document.querySelector(".user-list-box");

  while (listElem.firstChild) {
    listElem.removeChild(listElem.firstChild);
  }

  msg.users.forEach((username) => {
    const item = document.createElement("li");
    item.appendChild(document.createTextNode(username));
    item.addEventListener("click", invite);

    listElem.appendChild(item);
  });
}

// [seed] "Starten eines Anrufs"
function invite(evt) {
  if (myPeerConnection) {
    alert("You can't start a call because you already have one open!");
  } else {
    const clickedUsername = evt.target.textContent;

    if (clickedUsername === myUsername) {
      alert(
        "I'm afraid I can't let you talk to yourself. That would be weird.",
      );
      return;
    }

    targetUsername = clickedUsername;
    createPeerConnection();

    navigator.mediaDevices
      .getUserMedia(mediaConstraints)
      .then((localStream) => {
        document.getElementById("local_video").srcObject = localStream;
        localStream
          .getTracks()
          .forEach((track) => myPeerConnection.addTrack(track, localStream));
      })
      .catch(handleGetUserMediaError);
  }
}

// [seed] "Behandlung von getUserMedia()-Fehlern"
function handleGetUserMediaError(e) {
  switch (e.name) {
    case "NotFoundError":
      alert(
        "Unable to open your call because no camera and/or microphone" +
          "were found.",
      );
      break;
    case "SecurityError":
    case "PermissionDeniedError":
      // Do nothing; this is the same as the user canceling the call.
      break;
    default:
      alert(`Error opening your camera and/or microphone: ${e.message}`);
      break;
  }

  closeVideoCall();
}

// [seed] "Erzeugen der Peer-Verbindung"
function createPeerConnection() {
  myPeerConnection = new RTCPeerConnection({
    iceServers: [], // [test] was: [{ urls: "stun:stun.stunprotocol.org" }]
  });

  myPeerConnection.onicecandidate = handleICECandidateEvent;
  myPeerConnection.ontrack = handleTrackEvent;
  myPeerConnection.onnegotiationneeded = handleNegotiationNeededEvent;
  myPeerConnection.onremovetrack = handleRemoveTrackEvent;
  myPeerConnection.oniceconnectionstatechange =
    handleICEConnectionStateChangeEvent;
  myPeerConnection.onicegatheringstatechange =
    handleICEGatheringStateChangeEvent;
  myPeerConnection.onsignalingstatechange = handleSignalingStateChangeEvent;
}

// [seed] "Verhandlungsbeginn"
function handleNegotiationNeededEvent() {
  myPeerConnection
    .createOffer()
    .then((offer) => myPeerConnection.setLocalDescription(offer))
    .then(() => {
      sendToServer({
        name: myUsername,
        target: targetUsername,
        type: "video-offer",
        sdp: myPeerConnection.localDescription,
      });
    })
    .catch(window.reportError);
}

// [seed] "Bearbeitung der Einladung"
function handleVideoOfferMsg(msg) {
  let localStream = null;

  targetUsername = msg.name;
  createPeerConnection();

  const desc = new RTCSessionDescription(msg.sdp);

  myPeerConnection
    .setRemoteDescription(desc)
    .then(() => navigator.mediaDevices.getUserMedia(mediaConstraints))
    .then((stream) => {
      localStream = stream;
      document.getElementById("local_video").srcObject = localStream;

      localStream
        .getTracks()
        .forEach((track) => myPeerConnection.addTrack(track, localStream));
    })
    .then(() => myPeerConnection.createAnswer())
    .then((answer) => myPeerConnection.setLocalDescription(answer))
    .then(() => {
      const msg = {
        name: myUsername,
        target: targetUsername,
        type: "video-answer",
        sdp: myPeerConnection.localDescription,
      };

      sendToServer(msg);
    })
    .catch(handleGetUserMediaError);
}

// [seed] "Bearbeitung der Einladung" (its last part: the caller takes the answer)
function handleVideoAnswerMsg(msg) {
  const desc = new RTCSessionDescription(msg.sdp);
  myPeerConnection.setRemoteDescription(desc).catch(window.reportError);
}

// [seed] "Senden von ICE-Kandidaten"
function handleICECandidateEvent(event) {
  if (event.candidate) {
    sendToServer({
      type: "new-ice-candidate",
      target: targetUsername,
      candidate: event.candidate,
    });
  }
}

// [seed] "Empfang von ICE-Kandidaten"
function handleNewICECandidateMsg(msg) {
  const candidate = new RTCIceCandidate(msg.candidate);

  myPeerConnection.addIceCandidate(candidate).catch(window.reportError);
}

// [seed] "Empfang neuer Streams"
function handleTrackEvent(event) {
  document.getElementById("received_video").srcObject = event.streams[0];
  document.getElementById("hangup-button").disabled = false;
}

// [seed] "Umgang mit dem Entfernen von Tracks"
function handleRemoveTrackEvent(event) {
  const stream = document.getElementById("received_video").srcObject;
  const trackList = stream.getTracks();

  if (trackList.length === 0) {
    closeVideoCall();
  }
}

// [seed] "Auflegen": closeVideoCall() first, which sets targetUsername = null,
// so the hang-up below carries `target: null`.
function hangUpCall() {
  closeVideoCall();
  sendToServer({
    name: myUsername,
    target: targetUsername,
    type: "hang-up",
  });
}

// [seed] "Beendigung des Anrufs"
function closeVideoCall() {
  const remoteVideo = document.getElementById("received_video");
  const localVideo = document.getElementById("local_video");

  if (myPeerConnection) {
    myPeerConnection.ontrack = null;
    myPeerConnection.onremovetrack = null;
    myPeerConnection.onremovestream = null;
    myPeerConnection.onicecandidate = null;
    myPeerConnection.oniceconnectionstatechange = null;
    myPeerConnection.onsignalingstatechange = null;
    myPeerConnection.onicegatheringstatechange = null;
    myPeerConnection.onnegotiationneeded = null;

    if (remoteVideo.srcObject) {
      remoteVideo.srcObject.getTracks().forEach((track) => track.stop());
    }

    if (localVideo.srcObject) {
      localVideo.srcObject.getTracks().forEach((track) => track.stop());
    }

    myPeerConnection.close();
    myPeerConnection = null;
  }

  remoteVideo.removeAttribute("src");
  remoteVideo.removeAttribute("srcObject");
  localVideo.removeAttribute("src");
  localVideo.removeAttribute("srcObject");

  document.getElementById("hangup-button").disabled = true;
  targetUsername = null;
}

// [chatclient]
function handleHangUpMsg(msg) {
  closeVideoCall();
}

// [seed] "ICE-Verbindungszustand"
function handleICEConnectionStateChangeEvent(event) {
  switch (myPeerConnection.iceConnectionState) {
    case "closed":
    case "failed":
      closeVideoCall();
      break;
  }
}

// [seed] "ICE-Signalisierungszustand"
function handleSignalingStateChangeEvent(event) {
  switch (myPeerConnection.signalingState) {
    case "closed":
      closeVideoCall();
      break;
  }
}

// [seed] "ICE-Sammlungszustand"
function handleICEGatheringStateChangeEvent(event) {
  // Our sample just logs information to console here,
  // but you can do whatever you need.
}

// [test] The read-out.
window.tutorialState = () => {
  const lastList = testRecord.received.filter((m) => m.type === "userlist").pop();
  return {
    myUsername,
    signedIn: Boolean(lastList && lastList.users.includes(myUsername)),
    users: lastList ? lastList.users : [],
    targetUsername,
    peerConnection: myPeerConnection ? myPeerConnection.connectionState : null,
    remoteVideoWidth: document.getElementById("received_video").videoWidth,
    hangUpEnabled: !document.getElementById("hangup-button").disabled,
    sent: testRecord.sent.map(({ type, name, target, callId }) => ({ type, name, target, callId })),
    received: testRecord.received
      .filter((m) => m.type !== "userlist" && m.type !== "id")
      .map(({ type, name, target, callId, reason }) => ({ type, name, target, callId, reason })),
  };
};
