import type { Article, ArticleAudience, ArticleStatus } from '#shared/kb/article';

/**
 * The demo knowledge base `npm start` seeds and `npm run eval:kb` measures search against. It is
 * data in a module (not .md files) so it loads the same way under Node, vitest and a Lambda
 * bundle. The organisation is fictional; the products are the ones a Microsoft 365 shop runs.
 */

const SEEDED_AT = '2026-01-05T09:00:00.000Z';
const SEEDED_BY = 'kb-editor@example.com';

interface DemoArticle {
  id: string;
  title: string;
  category: string;
  tags: string[];
  audience?: ArticleAudience;
  status?: ArticleStatus;
  body: string;
}

const article = ({ audience = 'public', status = 'published', body, ...rest }: DemoArticle): Article => ({
  ...rest,
  audience,
  status,
  body: body.trim(),
  version: 1,
  linkedTickets: [],
  createdAt: SEEDED_AT,
  createdBy: SEEDED_BY,
  updatedAt: SEEDED_AT,
  updatedBy: SEEDED_BY,
});

export const DEMO_ARTICLES: readonly Article[] = [
  article({
    id: 'kb-password-reset',
    title: 'Reset a forgotten or expired password',
    category: 'accounts/password',
    tags: ['password', 'self-service', 'sspr'],
    body: `
If you have forgotten your password, or Windows tells you it has expired, you can reset it yourself
at any time of day. You do not need to call the Service Desk.

## Before you start
Self-service reset only works if you registered a phone number or the Microsoft Authenticator app
when you set up your account. If you never did, skip to "If self-service does not work" below.

## Reset your password
1. From any device (your phone is fine), open **https://passwordreset.microsoftonline.com**.
2. Enter your work email address and the characters in the picture, then choose **Next**.
3. Choose how to verify: a text message, a phone call or an Authenticator notification.
4. Enter the code you receive.
5. Type a new password twice. It must be at least 14 characters and must not be one of your last
   10 passwords. A short sentence you can remember works well.
6. Choose **Finish**. The new password works straight away for email and Microsoft 365.

## On your laptop
If your laptop is in the office or on the VPN it picks up the new password at the next sign-in. If
you are at home without the VPN, sign in with your **old** password, connect the VPN, then lock the
screen (Windows key + L) and unlock it with the new one.

## If self-service does not work
Call the Service Desk on extension 4357. For your security we will verify your identity with your
manager or with a video call showing your staff badge before we set a temporary password.

Changed your password recently? Read "Update your password everywhere after changing it", because
old saved passwords are the most common cause of account lockouts.
`,
  }),
  article({
    id: 'kb-password-update-devices',
    title: 'Update your password everywhere after changing it',
    category: 'accounts/password',
    tags: ['password', 'lockout', 'mobile', 'wifi'],
    body: `
When you change your password, every device and app that saved the old one keeps trying it in the
background. After ten wrong attempts your account locks, often within minutes of the change. Update
the saved password in each of these places on the same day.

## Phone and tablet
- **Outlook app**: open Outlook; when it asks, sign in again with the new password. If it does not
  ask, go to Settings, select your account, choose **Reset account**.
- **iPhone Mail or Calendar app** (if you use them instead of Outlook): Settings > Mail > Accounts >
  your work account > enter the new password.
- **Teams**: sign out and back in.

## Office Wi-Fi on your phone
The staff wireless network uses your network password. On your phone, choose **Forget this network**
for "Corp-WiFi" and join it again with the new password.

## Laptop
- Lock the screen and unlock it with the new password while connected to the office network or the
  VPN, so Windows caches it.
- Mapped network drives that were connected with saved credentials: open Credential Manager
  (search for it in the Start menu), choose **Windows Credentials** and remove any entries for
  fileserver or the printers. They will ask for the new password the next time.

## Other computers
Sign out of any shared PC or meeting-room PC where you stayed signed in.

If your account locks anyway, see "Account locked out". The Service Desk can tell you which device
is still using the old password.
`,
  }),
  article({
    id: 'kb-account-locked',
    title: 'Account locked out',
    category: 'accounts/lockout',
    tags: ['lockout', 'account', 'password', 'sign-in'],
    body: `
Your account locks for 15 minutes after 10 wrong password attempts. You will see "Your account has
been locked" or "The referenced account is currently locked out and may not be logged on to".

## Wait or unlock it yourself
- The lock clears by itself after **15 minutes**. Do not keep trying during that time: every attempt
  restarts the timer.
- If you registered for self-service password reset, you can unlock immediately: go to
  **https://passwordreset.microsoftonline.com**, verify with your phone and choose **Unlock my
  account** (you can keep your current password).

## Why does it keep locking?
If the account locks again and again, something is trying an old password. The usual causes are:
1. A phone or tablet still using the old password for email or Wi-Fi.
2. A mapped drive or printer that saved your old credentials in Windows Credential Manager.
3. A second computer (meeting room PC, old laptop) still signed in as you.
4. A scheduled task or script that runs under your account.

Work through "Update your password everywhere after changing it". If you cannot find the source,
contact the Service Desk: we can see which device the failed attempts come from and tell you.

## Locked out and working from home?
Unlock through self-service, then connect to the VPN before you lock your screen, so your laptop
learns the current password.

If you did not change your password and your account locks repeatedly, someone may be guessing it:
report it to the Service Desk straight away so the security team can check the sign-in logs.
`,
  }),
  article({
    id: 'kb-mfa-setup',
    title: 'Set up multi-factor authentication (MFA) with Microsoft Authenticator',
    category: 'accounts/mfa',
    tags: ['mfa', '2fa', 'authenticator', 'security'],
    body: `
Multi-factor authentication (MFA, sometimes called two-factor or 2FA) asks you to approve a sign-in
on your phone as well as typing your password. It is required for every account that signs in from
outside the office.

## What you need
- Your laptop or any computer with a browser.
- A smartphone (iPhone or Android) with the **Microsoft Authenticator** app installed from the App
  Store or Google Play. Your own phone is fine; we never see your personal data.

## Register
1. On the computer, open **https://aka.ms/mfasetup** and sign in with your work account.
2. Choose **Add sign-in method** > **Authenticator app** and select **Next** until a QR code appears.
3. On the phone, open Authenticator, tap **+** > **Work or school account** > **Scan a QR code**.
4. Scan the code on screen. The app shows a test notification: type the number shown on the
   computer into the phone and approve.
5. Back on the computer choose **Add sign-in method** again and add your **phone number** as a
   backup, in case you lose the phone.

## Signing in afterwards
When you sign in, a number appears on screen; type it in the Authenticator notification. If you did
not try to sign in and you get a notification, **deny it** and report it: someone has your password.

## No smartphone?
We can issue a hardware token (a small key fob that shows a code). Request one through the portal
under "Accounts and access"; your manager approves it.

Changing or losing your phone? See "Move MFA to a new phone or recover after losing it".
`,
  }),
  article({
    id: 'kb-mfa-new-phone',
    title: 'Move MFA to a new phone or recover after losing it',
    category: 'accounts/mfa',
    tags: ['mfa', 'authenticator', 'mobile', 'new phone'],
    body: `
The Microsoft Authenticator app is tied to the phone it was set up on. Moving to a new phone needs a
few minutes of planning; losing your phone needs a call to the Service Desk.

## Planned move to a new phone (you still have the old one)
1. Install Microsoft Authenticator on the new phone.
2. On a computer, open **https://aka.ms/mfasetup** and sign in. Approve the sign-in on the **old**
   phone.
3. Choose **Add sign-in method** > **Authenticator app** and scan the QR code with the new phone.
4. Approve the test notification on the new phone.
5. Set the new phone as the **default sign-in method**, then delete the old phone's entry from the
   list.
6. Only now reset or trade in the old phone.

Restoring an iPhone or Android backup does not bring MFA with it: the accounts appear in the app but
ask you to sign in again, and notifications still go to the old device until you do the steps above.

## Lost, stolen or broken phone
1. If you registered a backup phone number, you can still sign in with a text message code, then
   register the new phone as above.
2. If you have no other method, call the Service Desk on extension 4357. We will verify who you are
   (your manager confirms, or a video call with your staff badge) and clear your MFA methods so you
   can register again at your next sign-in.
3. If the phone was stolen, also follow "Lost or stolen laptop or phone" so we can wipe company data
   from it.

## New number, same phone
Update the phone number under **Security info** at https://aka.ms/mfasetup.
`,
  }),
  article({
    id: 'kb-vpn-connect',
    title: 'Connect to the VPN from home (GlobalProtect)',
    category: 'network/vpn',
    tags: ['vpn', 'remote', 'globalprotect', 'work from home'],
    body: `
You need the VPN to reach internal systems from outside the office: the shared drives, the finance
system, the intranet and on-premises applications. Email, Teams and OneDrive work without it.

## Connect
1. Make sure you are on the internet (open any public web site).
2. Click the **GlobalProtect** globe icon in the system tray, at the bottom right of the screen. On a
   Mac it is in the menu bar at the top.
3. The portal address should already say **vpn.example.com**. If it is empty, type it.
4. Choose **Connect**. A browser window opens: sign in with your work account and approve the MFA
   prompt on your phone.
5. The icon shows a shield when you are connected.

## Things to know
- The VPN disconnects after 12 hours; connect again the next morning.
- Hotel and conference networks often block VPNs until you accept their terms in a browser. Open a
  web site first, accept, then connect.
- Mobile hotspots work well. Public Wi-Fi with captive portals is the most common cause of failures.

## It will not connect
- "Gateway not responding": check your internet connection, then restart GlobalProtect (right-click
  the icon > Refresh connection) or restart the laptop.
- Sign-in window is blank: your default browser may be blocking pop-ups. Restart the laptop and try
  again.
- Connected but internal sites do not open: see "VPN connected but internal sites or drives do not
  work".

GlobalProtect is installed on every company laptop. It is not available for personal computers; use
the web apps at https://myapps.microsoft.com from a personal device instead.
`,
  }),
  article({
    id: 'kb-vpn-troubleshoot',
    title: 'VPN connected but internal sites or drives do not work, or it keeps disconnecting',
    category: 'network/vpn',
    tags: ['vpn', 'remote', 'globalprotect', 'dns', 'disconnect'],
    body: `
The VPN icon says connected, but the intranet, the shared drives or internal applications do not
open, or the connection drops every few minutes. Work through these steps in order.

## 1. Check that the VPN is really up
Hover over the GlobalProtect icon. It should show the gateway "Europe-West" or "US-East" and an
assigned address starting 10.200. If it says "Connecting" or shows no address, choose **Disconnect**
and **Connect** again.

## 2. Drives do not appear
Mapped drives connect at sign-in, before the VPN is up. After connecting, open File Explorer, right
click the drive with the red cross and open it once; or sign out and back in while connected.

## 3. Web sites do not resolve
If internal addresses such as intranet.example.com say "site can't be reached":
1. Open a Command Prompt and type **ipconfig /flushdns**.
2. Disconnect and reconnect the VPN.
3. If you use a third-party DNS or an ad blocker on your home router, try a mobile hotspot to rule it
   out.

## 4. It drops every few minutes
- Unstable home Wi-Fi is the usual cause. Move closer to the router or use a cable.
- Turn off other VPN software (personal VPNs, antivirus "secure browsing" features). Two VPNs on one
  laptop conflict.
- Choose the nearest gateway: GlobalProtect icon > Settings (gear) > Gateway > choose the one in your
  region.

## 5. Still failing
Raise a ticket with: the time it failed, your home internet provider, whether a mobile hotspot works,
and a screenshot of the GlobalProtect **Details** tab. That lets the network team check the gateway
logs without asking you again.
`,
  }),
  article({
    id: 'kb-wifi-connect',
    title: 'Connect to the office Wi-Fi (staff and guest networks)',
    category: 'network/wifi',
    tags: ['wifi', 'wireless', 'guest', 'network'],
    body: `
The offices have two wireless networks.

| Network | Who | How to sign in |
|---|---|---|
| Corp-WiFi | Staff on company laptops and phones | Automatic on company laptops; your work email and password on phones |
| Guest-WiFi | Visitors and personal devices | Daily voucher from reception |

## Company laptop
Company laptops join **Corp-WiFi** automatically with a certificate; you should never be asked for a
password. If the laptop shows "Can't connect to this network":
1. Turn Wi-Fi off and on (Windows key + A, then the Wi-Fi tile).
2. Restart the laptop while in the office, so it can renew its certificate.
3. If it has been out of the office for more than 60 days, connect it with a network cable at any
   desk for 15 minutes first.

## Phone or tablet
1. Choose **Corp-WiFi**.
2. Username: your work email address. Password: your normal password.
3. If asked about a certificate, choose **Trust** or set "CA certificate" to **Use system
   certificates** and domain to **example.com** (Android).
After a password change you must forget the network and join again.

## Visitors and personal devices
Reception hands out a Guest-WiFi voucher valid for one day. The guest network reaches the internet
only: internal systems and printers are not available from it.

## Slow or dropping?
See "Wi-Fi slow or dropping in the office".
`,
  }),
  article({
    id: 'kb-wifi-slow',
    title: 'Wi-Fi slow or dropping in the office',
    category: 'network/wifi',
    tags: ['wifi', 'wireless', 'slow', 'disconnect'],
    body: `
If the wireless connection in the office is slow or keeps dropping, these checks solve most cases in
a few minutes.

## Check whether it is just you
Ask a colleague nearby. If nobody on your floor can connect, it is an outage: raise a ticket marked
**high urgency** with the floor and the area, and we will check the access points.

## Only you
1. **Forget and rejoin**: forget Corp-WiFi and connect again. On company laptops, restart instead.
2. **Move**: meeting rooms with glass walls and the corners of the 4th floor have weaker signal. Sit
   closer to an access point (the white discs on the ceiling).
3. **Avoid the guest network**: Guest-WiFi is rate-limited to 10 Mbit/s by design.
4. **Turn off the hotspot**: a phone hotspot or a personal travel router near your desk interferes
   with the office network on the same channel.
5. **Update drivers**: run Windows Update and the Dell Command Update or Lenovo Vantage tool from the
   Start menu; old wireless drivers cause random disconnects.

## Video calls freeze
Large video meetings over Wi-Fi use a lot of bandwidth. If calls freeze, plug into the network port
on your desk or docking station; wired connections are always preferred for long calls.

## When you raise a ticket
Tell us the floor, the desk or room number, the time it happened and whether it is the laptop or the
phone. From a laptop, the result of running **netsh wlan show interfaces** in a Command Prompt helps
the network team find the access point you were on.
`,
  }),
  article({
    id: 'kb-email-mobile',
    title: 'Set up work email and calendar on your phone',
    category: 'email/mobile',
    tags: ['email', 'mobile', 'outlook', 'iphone', 'android'],
    body: `
Work email, calendar and contacts on a phone go through the **Microsoft Outlook** app. The built-in
Mail apps on iPhone and Android are blocked for work accounts because they cannot protect company
data if the phone is lost.

## iPhone or iPad
1. Install **Microsoft Outlook** from the App Store.
2. Open it, choose **Add account** and enter your work email address.
3. Sign in with your password and approve the MFA prompt.
4. You will be asked to install **Microsoft Authenticator** (if you have not) and to allow the app to
   be managed: choose **Allow**. This only covers work data inside Outlook and Teams.
5. Set a passcode on the phone if you do not have one; it is required.

## Android
1. Install **Microsoft Outlook** and **Company Portal** from Google Play.
2. Open Outlook, add your work account, sign in and approve the MFA prompt.
3. When asked to register the device, open Company Portal and follow the steps. Choose the
   "personal device" option if the phone is yours: we can then remove only work data.

## Calendar and contacts
Calendar is inside the Outlook app. To see work contacts in your phone's dialler, open Outlook >
Settings > your account > turn on **Save contacts**.

## Common problems
- "Your organisation does not allow this app": you are using the built-in Mail app. Use Outlook.
- "Device does not meet requirements": update the phone's operating system; phones more than two
  major versions behind are not allowed.
- Email stopped after a password change: open Outlook and sign in again.
`,
  }),
  article({
    id: 'kb-outlook-not-syncing',
    title: 'Outlook not sending or receiving email',
    category: 'email/outlook',
    tags: ['outlook', 'email', 'sync', 'outbox'],
    body: `
Outlook on your laptop shows "Disconnected" or "Trying to connect", messages sit in the Outbox, or new
mail arrives on your phone but not on the laptop.

## Quick checks
1. Look at the status bar at the bottom of Outlook. "Working offline" means the offline switch is on:
   go to **Send / Receive** > **Work Offline** to turn it off.
2. Open https://outlook.office.com in a browser. If your mail is there, the mailbox is fine and the
   problem is Outlook on this laptop.
3. Check your internet connection (VPN is not needed for email).

## Stuck in the Outbox
A message with a large attachment can block everything behind it. The limit is 25 MB. Open the
Outbox, drag the large message to Drafts, remove the attachment and share a OneDrive link instead.

## Outlook keeps asking for a password
This often follows a password change. Close Outlook, open **Credential Manager** from the Start menu,
remove entries that mention "MicrosoftOffice" or "outlook", and start Outlook again. Sign in when
prompted.

## Repair the profile
1. Close Outlook.
2. Open Control Panel > **Mail (Microsoft Outlook)** > **Show Profiles** > **Add**, create a new
   profile with your email address.
3. Select "Always use this profile" with the new one and start Outlook. It will download your mail
   again, which can take an hour for a large mailbox.

## Mailbox full
If you got a warning that your mailbox is full, you cannot send until you free space: see "Mailbox
full: archive or clean up email".
`,
  }),
  article({
    id: 'kb-mailbox-full',
    title: 'Mailbox full: archive or clean up email',
    category: 'email/outlook',
    tags: ['outlook', 'email', 'mailbox', 'quota', 'archive'],
    body: `
Each mailbox holds 100 GB. When it reaches 98 GB you get a warning; at 100 GB you can no longer send,
and at 110 GB you stop receiving.

## See what takes the space
In Outlook on Windows: **File** > **Tools** > **Mailbox Cleanup** > **View Mailbox Size**. In Outlook
on the web: Settings > General > Storage.

## Free space quickly
1. **Empty Deleted Items** and **Junk Email** (right-click the folder > Empty folder).
2. **Large attachments**: in the search box, type **size:>10MB** to list big messages. Save the
   attachments you need to OneDrive, then delete the messages.
3. **Sent Items**: old sent messages with attachments are often the biggest folder.

## Use the online archive
Every mailbox has an **Online Archive** with a further 100 GB. It appears under your mailbox in the
folder list as "Online Archive - your name". Items older than two years move there automatically each
week; you can also drag folders into it. Archived mail stays searchable from Outlook and the phone.

## Please do not use PST files
Exporting mail to a PST file on your laptop or a shared drive loses it when the laptop is replaced,
and PST files on network drives corrupt easily. Use the online archive instead.

## Shared mailboxes
Shared mailboxes have their own 50 GB quota. Ask an owner of the shared mailbox to clean it up, or
raise a ticket to add an archive to it.
`,
  }),
  article({
    id: 'kb-shared-mailbox',
    title: 'Get access to a shared mailbox or calendar',
    category: 'email/outlook',
    tags: ['shared mailbox', 'outlook', 'email', 'calendar', 'permissions'],
    body: `
Team addresses such as finance@example.com or hr-queries@example.com are shared mailboxes. Access is
granted by the owner of the mailbox, not by IT alone.

## Request access
1. Raise a ticket in the portal under **Email > Shared mailbox access**.
2. Give the mailbox address and the level you need:
   - **Read and manage**: read, move and delete messages.
   - **Send as**: send mail that appears to come from the shared address.
3. We ask the mailbox owner to approve. Once approved, access is granted within one working day.

## Where it appears
Outlook on your laptop adds the shared mailbox to the folder list automatically, usually within an
hour of access being granted. Restart Outlook if it does not appear. In Outlook on the web, right
click **Folders** > **Add shared folder or mailbox**.

## Sending from the shared address
When writing a message, choose **Options** > **From** to show the From field, then pick the shared
address. Sent messages are saved in the shared mailbox's Sent Items.

## On your phone
In the Outlook app, choose **Add account** > **Add a shared mailbox**.

## Shared calendars
To see a colleague's or a room's calendar, in Outlook Calendar choose **Add calendar** > **From
directory** and search for the name. Permission to edit someone's calendar is given by that person:
in their calendar, **Share** > add you > **Can edit**.

## Create a new shared mailbox
Raise a ticket with the address you want, the display name and the owner (a person, not a team).
`,
  }),
  article({
    id: 'kb-printer-offline',
    title: 'Printer shows as offline or print jobs are stuck',
    category: 'hardware/printer',
    tags: ['printer', 'offline', 'print queue', 'papercut'],
    body: `
Windows says the printer is **Offline**, or documents sit in the queue and nothing prints.

## Check the printer itself
1. Look at the printer's screen. An error such as "Paper jam", "Load tray 2" or "Replace toner" stops
   printing for everyone; see "Clear a paper jam" or tell reception about toner.
2. If the screen is dark, the printer is asleep or switched off. Press the power button once.
3. If colleagues can print to the same printer, the problem is on your laptop: continue below.

## On your laptop
1. Make sure you are on the office network or the VPN. Printers cannot be reached from the guest
   Wi-Fi or from home.
2. Open **Settings** > **Bluetooth & devices** > **Printers & scanners**, select the printer, choose
   **Open print queue**, and cancel every document in the list.
3. Restart the laptop and print again.
4. Still offline? Remove the printer (same screen > **Remove**) and add it again as described in
   "Add a printer or install a printer driver".

## Follow-me printing
Most floors use the **Follow-Me** queue: you print to "FollowMe-Print" and release the job by tapping
your badge on any printer. Jobs wait for 24 hours. If you tapped your badge and nothing came out, the
printer you chose may be out of paper; release the job at another one.

## Report it
If the printer shows an error you cannot clear, or nobody on the floor can print, raise a ticket with
the **printer name on the label** (for example PRN-3F-EAST) and the message on its screen.
`,
  }),
  article({
    id: 'kb-printer-jam',
    title: 'Clear a paper jam',
    category: 'hardware/printer',
    tags: ['printer', 'paper jam', 'jam'],
    body: `
Paper jams are the most common printer fault and you can usually clear them yourself in two minutes.
The printer's screen shows where the paper is stuck with a letter (A, B, C or D).

## Safely clear the jam
1. **Do not switch the printer off.** It remembers the job and will print it again once cleared.
2. Follow the animation on the printer's screen. It shows which door or tray to open.
3. Open the door slowly. Parts near the fuser (marked with a hot-surface symbol, usually door B) can
   be hot: wait a minute before touching them.
4. Pull the paper out **in the direction the paper travels**, with both hands, steadily. Pulling
   backwards or jerking it tears the sheet and leaves pieces inside.
5. Check for small torn pieces, especially in the rollers.
6. Close every door firmly. The screen should return to "Ready".

## Jams that keep coming back
- Fan the paper before loading it and do not fill above the line inside the tray.
- Use only 80 gsm A4 paper in the trays. Labels, thick card and envelopes go in the bypass tray
  (the fold-out tray on the right side), one type at a time.
- Damp paper jams: keep the paper in its wrapper until you load it.

## Call us when
- The screen still reports a jam but you cannot see any paper.
- You hear grinding, or you see a broken part.
- A label or envelope is stuck inside the fuser.

Raise a ticket with the printer name on its label and the jam code from the screen. Please put a
note on the printer so colleagues do not keep trying to print to it.
`,
  }),
  article({
    id: 'kb-printer-add',
    title: 'Add a printer or install a printer driver',
    category: 'hardware/printer',
    tags: ['printer', 'driver', 'papercut', 'follow-me'],
    body: `
Company laptops add the **FollowMe-Print** queue automatically the first time you sign in at the
office. You only need this article for a specific printer (for example the large-format plotter) or
if the printer disappeared.

## Add the Follow-Me queue
1. Connect to the office network or the VPN.
2. Open **Settings** > **Bluetooth & devices** > **Printers & scanners** > **Add device**.
3. Wait a few seconds and choose **Add manually** next to "The printer that I want isn't listed".
4. Choose **Select a shared printer by name** and type \`\\\\print01\\FollowMe-Print\`.
5. Windows installs the driver from the print server. This takes up to a minute; you do not need
   administrator rights.

## A specific printer
Use the same steps with the name printed on the printer's label, for example
\`\\\\print01\\PRN-3F-EAST\`. The full list of printers is on the intranet under IT > Printers.

## "Windows cannot connect to the printer" or driver errors
- Restart the laptop and try again while on the office network, not the guest Wi-Fi.
- If the error mentions "Access denied" or asks for an administrator, the driver is not on the print
  server yet: raise a ticket with the printer name. Please do not download drivers from the
  manufacturer's web site; they are blocked and do not work with Follow-Me.

## Mac
Macs use the Self Service app: open **Self Service**, search for "printer" and install the
**Follow-Me printer** package. Sign in with your work account the first time you print.

## Home printers
You can add your home printer to a company laptop over USB or Wi-Fi. If Windows asks for
administrator rights for the driver, request it through the portal under "Software".
`,
  }),
  article({
    id: 'kb-shared-drive-access',
    title: 'Request access to a shared drive or folder',
    category: 'files/shared-drive',
    tags: ['shared drive', 'permissions', 'access', 'file share'],
    body: `
Team folders on the file server (the S: drive) and SharePoint sites are protected by groups. Access
is approved by the folder owner, so IT cannot grant it on request alone.

## Find out who owns the folder
Right-click the folder > **Properties** > **Details** tab does not show the owner; instead open the
intranet page IT > Shared folders, which lists each top-level folder with its owner. For a SharePoint
site, the owners are under **Settings** > **Site permissions**.

## Request access
1. Raise a ticket under **Files > Folder access**.
2. Give the full path (for example S:\\Finance\\Budgets 2026) or the SharePoint link.
3. Say whether you need **read only** or **read and change**.
4. We send the request to the folder owner. When they approve, we add you to the group.

## After access is granted
Group membership is read when you sign in, so **sign out and back in** (or restart) before trying
again. On the VPN, connect before you sign in.

## "You don't currently have permission to access this folder"
- You may be looking at a folder inside one you can open. Permissions can differ level by level;
  request the specific folder.
- If you had access yesterday and lost it, someone may have changed the group. Raise a ticket; we can
  see the change history.

## Giving access to others
If you own a folder you approve requests; you cannot change permissions directly. To change the
owner (for example when someone leaves), raise a ticket from the new owner's manager.
`,
  }),
  article({
    id: 'kb-mapped-drive-missing',
    title: 'Network drive missing or showing a red cross',
    category: 'files/shared-drive',
    tags: ['shared drive', 'mapped drive', 'network drive', 'file share'],
    body: `
The S: (shared) or H: (home) drive is missing from File Explorer, or it shows a red cross and says
"Could not reconnect all network drives".

## Why it happens
Drives are connected when you sign in. If the laptop was not on the office network or the VPN at that
moment, Windows cannot reach the file server and marks the drive as disconnected.

## Fix
1. Connect to the office network or to the VPN.
2. Open File Explorer and double-click the drive with the red cross. It usually reconnects.
3. If the drive is not listed at all, sign out and sign back in while connected, or restart the
   laptop.

## Map it by hand
If it still does not appear:
1. Open File Explorer, right-click **This PC** > **Map network drive**.
2. Choose the letter (S: for shared, H: for home).
3. Folder: \`\\\\fileserver\\shared\` for S:, or \`\\\\fileserver\\home\\your username\` for H:.
4. Tick **Reconnect at sign-in** and choose **Finish**.

## It asks for a password
Do not tick "Remember my credentials". A saved password stops working when you change yours and can
lock your account. If you saved one, remove it in Credential Manager (Windows Credentials >
fileserver).

## Slow to open
On the VPN, large folders open slowly because every file listing crosses the internet. Copy what you
need to OneDrive for work at home, or use the SharePoint version of the team site if your team has
moved.

If you can see the drive but not a folder inside it, see "Request access to a shared drive or
folder".
`,
  }),
  article({
    id: 'kb-software-install',
    title: 'Install approved software yourself from Company Portal',
    category: 'software/install',
    tags: ['software', 'install', 'company portal', 'self service', 'apps'],
    body: `
Standard users do not have administrator rights on company laptops. Most software you need is
available in **Company Portal** (Windows) or **Self Service** (Mac), and installs without a ticket.

## Windows
1. Open the Start menu and search for **Company Portal**.
2. Browse or search the catalogue: Adobe Acrobat Reader, Zoom, Slack, 7-Zip, Notepad++, Power BI
   Desktop, Visual Studio Code, Python, Tableau Reader and many more.
3. Choose the app > **Install**. It installs in the background; the status changes to "Installed"
   when done.

## Mac
Open **Self Service** from the Applications folder, find the app and choose **Install**.

## Updates
Apps from Company Portal update themselves. If an app says an update is available but it will not
install, restart the laptop; pending updates run at startup.

## The app is not in the catalogue
Software that is not listed needs a request, because of security review and, for paid products, a
licence. See "Request new software or a licence".

## "This app has been blocked by your administrator"
You downloaded an installer from the internet. Installers that need administrator rights are blocked.
Check Company Portal first; if the app is not there, request it.

## Browser extensions
Chrome and Edge extensions are limited to an approved list. Request others the same way as software.

## Developer tools
Developers can request a developer laptop profile with local administrator rights through their
manager. It comes with extra monitoring and must not be used for email or browsing.
`,
  }),
  article({
    id: 'kb-software-request',
    title: 'Request new software or a licence',
    category: 'software/request',
    tags: ['software', 'licence', 'license', 'request', 'adobe'],
    body: `
If the software you need is not in Company Portal, or it needs a paid licence (Adobe Acrobat Pro,
Creative Cloud, Visio, Project, Power BI Pro, AutoCAD), request it through the portal.

## How to request
1. Raise a request under **Software > New software or licence**.
2. Give the product name and edition, why you need it and for how long.
3. Your manager is asked to approve the cost. Licences are charged to your cost centre.
4. New products (never used here before) go through a security and data protection review, which
   takes about two weeks. Products already licensed are usually assigned within one working day.

## When the licence is assigned
- Microsoft products (Visio, Project, Power BI Pro): sign out of Office apps and back in, or restart;
  the new features appear within a few hours.
- Adobe products: open Adobe Creative Cloud, sign in with your work email, choose **Company or school
  account**.

## Licence expired or "unlicensed product"
If an Office app shows "Unlicensed product" or "Account error" in red:
1. Choose **Sign in** in the banner and sign in with your work account.
2. In any Office app, **File** > **Account** > **Sign out**, then sign in again.
3. If it persists, raise a ticket with a screenshot of **File** > **Account**.

## No longer need it?
Tell us when you stop using a paid product so the licence can be reused. Unused licences (no sign-in
for 90 days) are reclaimed automatically and you will get an email a week before.

## Free or open-source tools
Even free tools need a request if they are not in the catalogue: we check the licence terms and keep
them updated.
`,
  }),
  article({
    id: 'kb-laptop-slow',
    title: 'Laptop running slowly or freezing',
    category: 'hardware/laptop',
    tags: ['laptop', 'performance', 'slow', 'freezing'],
    body: `
A slow laptop is usually caused by something you can fix in a few minutes. Try these steps in order.

## 1. Restart it properly
Windows fast startup means that shutting down does not clear memory. Use **Start** > **Power** >
**Restart**, at least once a week. Many "slow for days" laptops are waiting for an update to finish.

## 2. See what is using it
Press **Ctrl + Shift + Esc** to open Task Manager and sort by CPU and by Memory. Common culprits:
- Dozens of browser tabs: each tab uses memory. Close the ones you do not need or use tab sleeping in
  Edge.
- Teams or Zoom left running in the background after a call.
- OneDrive syncing a large folder for the first time (it settles after a few hours).
If one program uses a lot, close it. If "Antimalware Service Executable" is busy, a scheduled scan is
running; it finishes within the hour.

## 3. Check disk space
A nearly full disk slows everything down. If less than 10 GB is free, see "Disk full: free up space
on your laptop".

## 4. Updates
Open **Settings** > **Windows Update** and install anything pending, then restart. Run **Dell
Command Update** or **Lenovo Vantage** from the Start menu for firmware and drivers.

## 5. Power settings
On battery, Windows slows the processor to save power. Plug in the charger and set **Settings** >
**System** > **Power** > Power mode to **Best performance**.

## Still slow?
Raise a ticket with the laptop's asset tag (the sticker underneath) and what is slow (starting up,
one application, everything). Laptops older than four years are replaced under the refresh
programme; we will tell you if yours qualifies.
`,
  }),
  article({
    id: 'kb-disk-full',
    title: 'Disk full: free up space on your laptop',
    category: 'hardware/laptop',
    tags: ['disk', 'storage', 'disk space', 'laptop'],
    body: `
Windows warns "Low disk space" or the C: drive shows red in File Explorer. Below 10 GB free, updates
fail and the laptop slows down.

## See what is using space
Open **Settings** > **System** > **Storage**. Windows lists temporary files, apps, documents,
pictures and other folders by size.

## Free space safely
1. **Storage Sense**: in the same Storage page, turn on **Storage Sense** and choose **Cleanup
   recommendations**. It removes temporary files and old update files.
2. **Downloads folder**: installers and old attachments pile up here. Delete what you do not need.
3. **Recycle Bin**: empty it.
4. **OneDrive**: right-click your OneDrive folder > **Free up space**. Files stay in the cloud and
   download when you open them; the cloud icon shows which are online-only.
5. **Large files**: video recordings, virtual machines and PST files are the usual giants. Move
   recordings to OneDrive or a team SharePoint site.

## Do not delete
- Anything in C:\\Windows or C:\\Program Files.
- The "Windows.old" folder in the first 10 days after a big Windows upgrade; Storage Sense removes it
  safely afterwards.

## Still full
If your laptop has a 256 GB disk and you work with large data sets or media, ask for an upgrade
through the portal under **Hardware > Laptop upgrade**, with a note of what you work with. We can
also check for a stuck log file or crash dump that is filling the disk.

## Network drives full
If the S: drive says it is full, the team folder has reached its quota: raise a ticket and we will
contact the folder owner.
`,
  }),
  article({
    id: 'kb-new-starter',
    title: 'New starter: request accounts and equipment',
    category: 'accounts/onboarding',
    tags: ['new starter', 'onboarding', 'new hire', 'laptop', 'accounts'],
    body: `
Managers: a new starter's account, laptop and access are set up from one request. Raise it at least
**10 working days** before their first day so the laptop can be shipped and configured.

## Raise the request
In the portal choose **Accounts > New starter** and fill in:
- Full name, job title, department, start date and office location (or "remote").
- Their line manager and cost centre.
- Equipment: standard laptop, developer laptop or Mac; monitors and a docking station for the desk.
- Access: the shared drives, shared mailboxes, distribution lists and applications they need. Name a
  colleague "to mirror" if they should have the same access as someone in the team.
- Phone: whether they need a company mobile.

HR creates the person in the HR system; the account is created automatically from that record, so
please check the name and start date with HR first.

## What happens next
- Five days before the start date the account is created and the manager receives the username.
- The laptop is sent to the office (or the home address for remote starters) to arrive before day one.
- The temporary password is sent to the manager by text message on the morning of the first day.

## On day one
The new starter signs in, changes the temporary password and sets up MFA (see "Set up multi-factor
authentication"). The welcome guide on the desktop walks them through Outlook, Teams and printing.

## Late requests
Requests raised with less than five working days' notice may not be ready on day one. Call the
Service Desk and we will do our best, usually with a loan laptop.
`,
  }),
  article({
    id: 'kb-leaver',
    title: 'Leaver: what to do when someone leaves',
    category: 'accounts/offboarding',
    tags: ['leaver', 'offboarding', 'account', 'equipment return'],
    body: `
Managers: when someone in your team leaves, raise a leaver request as soon as the leaving date is
confirmed. It protects company data and makes sure nothing is lost.

## Raise the request
In the portal choose **Accounts > Leaver** and give:
- Their name, last working day and whether they leave at the end of the day or earlier.
- Who should receive their mailbox and OneDrive files (usually the manager).
- Whether an automatic reply should be set, and the text.
- Equipment to be returned: laptop, phone, monitors, headset, badge.

## What happens
- At 18:00 on the last day (or at the time you give) the account is disabled and signed out of every
  device. Company data is removed from their phone.
- Their mailbox becomes a shared mailbox that the named person can open for 90 days.
- Their OneDrive files are shared with the named person for 90 days, then deleted. Move anything
  important to a team site before then.
- Licences are reclaimed.

## Before they go
Ask the leaver to:
1. Move team documents from their OneDrive to the team SharePoint site or shared drive.
2. Hand over ownership of any shared folders, Teams or shared mailboxes they own.
3. Return equipment to the office or use the prepaid return box we send to remote staff.

## Urgent or involuntary leavers
If someone leaves immediately, call the Service Desk on extension 4357 as well as raising the request.
The account can be disabled within minutes.

## Changing role instead
Internal moves are not leavers: raise a **Mover** request so access is adjusted without losing their
mailbox.
`,
  }),
  article({
    id: 'kb-monitor-dock',
    title: 'External monitor not detected or docking station not working',
    category: 'hardware/peripherals',
    tags: ['monitor', 'docking station', 'dock', 'display', 'usb-c'],
    body: `
You plug your laptop into the docking station and the external monitors stay black, show "No
signal", or the keyboard and mouse do not work.

## Quick fixes
1. Check the **power** of the dock: most docks have a small light. Unplug the dock's power supply,
   wait ten seconds, plug it back in.
2. Unplug the USB-C (or Thunderbolt) cable from the laptop and plug it in again firmly. Use the port
   marked with the lightning bolt or the display symbol.
3. Press **Windows key + P** and choose **Extend**. If "PC screen only" was selected, the monitors
   stay black.
4. Check the monitor's input: press its menu button and select the right input (DisplayPort or HDMI).

## Monitors detected but wrong
- Wrong order: **Settings** > **System** > **Display**, drag the screens to match your desk and choose
  **Apply**.
- Blurry or wrong resolution: select the monitor and set the resolution marked "Recommended".
- Only one of two monitors works: some laptops drive two external screens only through the dock's
  DisplayPort outputs, not HDMI. Use the two DisplayPort ports.

## Dock firmware and drivers
Run **Dell Command Update** or **Lenovo Vantage** with the laptop docked; dock firmware updates fix
many "works after restart only" problems.

## Hot desks
Hot desks have a dock with one USB-C cable. If a dock at a hot desk does not work after these steps,
try another desk and raise a ticket with the desk number so we can replace it.

## Need a monitor or dock?
Request equipment under **Hardware > Peripherals**. Home workers can request one monitor and a dock.
`,
  }),
  article({
    id: 'kb-teams-audio',
    title: 'Teams or Zoom: others cannot hear you, or you cannot hear them',
    category: 'collaboration/meetings',
    tags: ['teams', 'zoom', 'audio', 'microphone', 'headset'],
    body: `
Audio problems in calls almost always come down to the wrong device being selected.

## In Teams
1. During the call, choose **More** (…) > **Settings** > **Device settings**.
2. Under **Speaker** and **Microphone**, choose the headset you are actually using. Laptops often
   default to "Speakers (Realtek)" or to the monitor's speakers when docked.
3. Choose **Make a test call** (from Settings > Devices outside a call) to hear yourself back.

## In Zoom
Click the arrow next to the microphone icon at the bottom left and choose the right microphone and
speaker. **Test speaker and microphone** in the same menu plays a tone.

## Others cannot hear you
- Check you are not muted in the app **and** on the headset (many headsets have a mute button or a
  boom arm that mutes when raised).
- Windows privacy: **Settings** > **Privacy & security** > **Microphone** must allow desktop apps.
- Bluetooth headsets: in Windows, pair them once, then select "Headset" (not "Headphones") as the
  microphone. The "Headphones" profile has no microphone.

## You cannot hear others
- Check the volume in Windows and on the headset.
- Unplug and replug the headset, then reselect it in the app; apps do not always switch when you
  plug a device in during a call.

## Echo or robotic voice
Echo means someone's speaker feeds back into their microphone: ask them to use a headset. Robotic or
choppy audio is a network problem: turn off your video, move closer to the Wi-Fi access point or use
a cable.

## Headsets
Approved USB headsets can be requested under **Hardware > Peripherals**. They work better than
Bluetooth headphones on long calls.
`,
  }),
  article({
    id: 'kb-webcam',
    title: 'Camera not working in Teams or Zoom',
    category: 'collaboration/meetings',
    tags: ['camera', 'webcam', 'teams', 'zoom', 'video'],
    body: `
Your video shows a black screen, a crossed-out camera, or "We can't find your camera".

## Check the obvious first
- Many laptops have a **privacy shutter**: a small slider above the screen. Slide it open.
- Some Lenovo and HP laptops have a camera key (a camera symbol on F8 or F10). Press it once.
- When docked with the lid closed, the built-in camera is off. Open the lid or use an external camera.

## Only one app can use the camera
If the camera works in one app but not another, close the other app completely: Teams, Zoom, the
Windows Camera app and some browser tabs each grab the camera. Quit Teams from the system tray
(right-click > Quit), not just the window.

## Select the right camera
- Teams: **Settings** > **Devices** > **Camera**.
- Zoom: the arrow next to **Start Video** > choose the camera.
Docked laptops with a monitor camera list two cameras; pick the one you are looking at.

## Windows privacy setting
**Settings** > **Privacy & security** > **Camera**: turn on **Camera access** and **Let desktop apps
access your camera**.

## Test it in Windows
Open the **Camera** app from the Start menu. If it shows an image, the camera works and the problem is
in Teams or Zoom: sign out of the app and back in, or clear the Teams cache by quitting Teams and
restarting the laptop. If the Camera app shows nothing, update drivers with Dell Command Update or
Lenovo Vantage.

## Still black?
Raise a ticket with the laptop model and whether the camera works in the Camera app.
`,
  }),
  article({
    id: 'kb-phishing-report',
    title: 'Report a suspicious or phishing email',
    category: 'security/phishing',
    tags: ['phishing', 'security', 'spam', 'email', 'scam'],
    body: `
Phishing emails try to get you to click a link, open an attachment, enter your password or pay an
invoice. Reporting them takes ten seconds and protects everyone: when several people report the same
message, the security team removes it from every mailbox.

## Signs of phishing
- Urgency or threats: "your mailbox will be closed today", "payment overdue".
- A sender name you know but an address that does not match, or a reply-to address outside the
  company.
- Links whose address (hover over them without clicking) does not match the text.
- Unexpected attachments, especially .zip, .html or Office documents asking you to "enable content".
- Requests to change bank details or buy gift cards, even from a manager.
- The yellow banner "You don't often get email from this sender" or the **External** tag.

## Report it
- **Outlook on Windows or Mac**: select the message and choose **Report** > **Report phishing** on the
  ribbon.
- **Outlook on the web or phone**: open the message, choose **…** > **Report** > **Report phishing**.
The message is moved out of your inbox and sent to the security team. You do not need to raise a
ticket as well.

## Spam and newsletters
Unwanted marketing that is not dangerous: use **Report** > **Report junk** or simply unsubscribe from
legitimate senders.

## Suspicious phone calls or texts
Callers claiming to be IT and asking for your password or an MFA code are always fraudsters. The
Service Desk never asks for your password. Hang up and report the call through the portal under
**Security > Report an incident**.

## Already clicked?
If you clicked a link, opened an attachment or typed your password, see "I clicked a link or entered
my password in a phishing email" now.
`,
  }),
  article({
    id: 'kb-phishing-clicked',
    title: 'I clicked a link or entered my password in a phishing email',
    category: 'security/incident',
    tags: ['phishing', 'security', 'incident', 'compromised', 'password'],
    body: `
Mistakes happen, and reporting quickly limits the damage. Nobody gets into trouble for reporting.

## Act now, in this order
1. **Change your password** immediately at https://passwordreset.microsoftonline.com if you typed it
   into any page from the email. Use a new password you have never used before.
2. **Disconnect**: if you opened an attachment or downloaded a file, unplug the network cable and
   turn off Wi-Fi on that laptop. Leave it switched on (do not restart): the security team may need
   its memory.
3. **Call the Service Desk** on extension 4357 and say "security incident". Calls about incidents
   skip the queue, day or night.
4. **Report the email** with Report > Report phishing, so it can be removed from other mailboxes.

## What we will do
- Sign your account out of every device and check the sign-in logs for access from unusual places.
- Check for forwarding rules or new MFA methods an attacker may have added.
- Scan or reimage the laptop if a file was opened.
- Tell you if anything needs to be done about your personal accounts, for example if you reused the
  password elsewhere.

## MFA prompts you did not request
If your phone shows an MFA approval you did not start, **deny** it. It means someone knows your
password. Change it and report it as above, even if you denied the prompt.

## Watch for a few days
Tell us if you see unusual emails in your Sent Items, messages you did not write, new inbox rules, or
colleagues reporting odd messages from you.
`,
  }),
  article({
    id: 'kb-restore-file',
    title: 'Restore a deleted file or a previous version',
    category: 'files/backup',
    tags: ['restore', 'backup', 'deleted', 'onedrive', 'previous versions'],
    body: `
Deleted a file by mistake or saved over it? Most files can be restored by you within minutes.

## OneDrive and SharePoint (Teams files)
- **Deleted files**: open OneDrive or the SharePoint site in a browser, choose **Recycle bin** on the
  left. Select the file and **Restore**. Files stay there for 93 days.
- **Previous version**: right-click the file > **Version history**, then **Restore** on the version you
  want. Every save creates a version.
- **Whole OneDrive**: if many files were changed (for example by ransomware or a sync mistake),
  Settings > **Restore your OneDrive** rolls everything back to a date in the last 30 days.

## Shared drive (S: or H:)
1. Right-click the folder that contained the file > **Properties** > **Previous Versions**.
2. Snapshots are taken at 07:00, 12:00 and 17:00 and kept for 30 days.
3. Choose a time, **Open** it to find your file, and copy the file back.

## On your laptop only (Desktop, Downloads)
Check the Recycle Bin. Files saved only on the laptop outside OneDrive are not backed up, which is
why Desktop and Documents are redirected to OneDrive on company laptops.

## Older than 30 days, or emails
- Server backups of shared drives are kept for one year. Raise a ticket with the full path, file name
  and the approximate date it was last correct.
- Deleted emails: in Outlook, **Deleted Items** > **Recover items recently removed from this folder**
  works for 30 days.

Restores from backup take one to two working days; please say if it is urgent.
`,
  }),
  article({
    id: 'kb-onedrive-sync',
    title: 'OneDrive not syncing',
    category: 'files/onedrive',
    tags: ['onedrive', 'sync', 'sharepoint', 'files'],
    body: `
The OneDrive cloud icon shows a red cross, a pause symbol, or "Sync pending" for hours, or a colleague
cannot see a change you made.

## Check the status
Click the OneDrive cloud icon in the system tray. It shows what it is doing and any errors. Common
messages:
- **Paused**: choose **Resume syncing**. OneDrive pauses on battery saver and metered connections.
- **Signed out**: sign in with your work account.
- **Can't sync file**: usually a file name problem (below) or a file open in another program.

## File names and paths
OneDrive cannot sync names containing " * : < > ? / \\ | or starting with a space, and paths longer
than 400 characters. Rename the file or move it to a shorter folder.

## Files that are open
Office documents open in another app and files locked by a database or a program wait until they are
closed. Close the app and OneDrive carries on.

## Reset OneDrive
If nothing helps:
1. Quit OneDrive (cloud icon > gear > **Quit OneDrive**).
2. Press **Windows key + R**, type **%localappdata%\\Microsoft\\OneDrive\\onedrive.exe /reset** and
   press Enter.
3. Start OneDrive from the Start menu if it does not restart by itself. It rechecks every file, which
   can take a while for large libraries.
Resetting does not delete files.

## Teams and SharePoint libraries
Use **Add shortcut to My files** on the SharePoint library rather than **Sync**; shortcuts are more
reliable and do not duplicate files.

## Too many files
More than 300,000 files across all synced libraries slow OneDrive down. Remove shortcuts to libraries
you no longer use.
`,
  }),
  article({
    id: 'kb-browser-certificate',
    title: 'Browser certificate warning: "Your connection is not private"',
    category: 'network/web',
    tags: ['browser', 'certificate', 'ssl', 'security warning', 'chrome', 'edge'],
    body: `
Chrome or Edge shows "Your connection isn't private", "NET::ERR_CERT_DATE_INVALID" or
"NET::ERR_CERT_AUTHORITY_INVALID" before a page opens.

## First, do not click through on a public site
For internet sites (banks, suppliers, web mail), a certificate warning may mean someone is
intercepting your connection. Do not choose **Advanced** > **Continue**. Close the tab and try again
from another network.

## Check your clock
A wrong date or time on the laptop makes every certificate look invalid. Open **Settings** > **Time &
language** > **Date & time**, turn on **Set time automatically**, choose **Sync now** and reload.

## Hotel and public Wi-Fi
Captive portals (the page where you accept terms) cause certificate errors on the first site you
open. Open **http://neverssl.com**, accept the network's terms, then try again.

## Internal sites
Internal sites such as intranet.example.com use certificates from our own certificate authority,
which company laptops trust automatically.
- On a personal device you will see a warning for internal sites: use a company laptop or the web
  apps at https://myapps.microsoft.com.
- On a company laptop, if every internal site shows a warning, restart while on the office network or
  the VPN so the laptop receives the current certificates.
- If only one internal site shows the warning, its certificate may have expired: raise a ticket with
  the address and a screenshot of the error (click **Not secure** next to the address for details).

## Firefox
Firefox uses its own certificate store. On company laptops it is set to trust the company
certificates; if you installed Firefox yourself, install it from Company Portal instead.
`,
  }),
  article({
    id: 'kb-windows-update',
    title: 'Windows updates and restart reminders',
    category: 'software/updates',
    tags: ['windows update', 'updates', 'restart', 'patching'],
    body: `
Security updates are installed on every company laptop each month. They protect against attacks that
are already being used, so they cannot be skipped indefinitely.

## The schedule
- Updates are released on the second Tuesday of the month and reach laptops from the following
  Wednesday.
- You can postpone the restart for **up to 3 days**. After that, the laptop restarts at the next
  time it is idle outside working hours (19:00 to 07:00).
- Leave the laptop switched on and plugged in overnight once a week so updates can finish without
  interrupting you.

## Choose when to restart
When the notification appears, choose **Schedule the restart** and pick a time (for example lunch).
Save your work first: open documents are not always recovered.

## Update stuck or failing
- "Working on updates, don't turn off your computer" for more than an hour: leave it plugged in. Only
  if nothing changes for three hours, hold the power button for ten seconds and start it again; it
  will roll back and retry.
- "Updates failed" repeatedly: make sure there is at least 15 GB of free disk space (see "Disk full:
  free up space on your laptop"), then **Settings** > **Windows Update** > **Retry**.
- Error codes starting 0x8024: connect to the internet without the VPN and retry; the update service
  downloads directly from Microsoft.

## Feature upgrades
Once a year a larger upgrade (for example Windows 11 24H2) is offered. It takes about an hour and
several restarts; schedule it for the end of the day.

## Macs
macOS updates are offered through **System Settings** > **General** > **Software Update**, with a
7-day deferral.
`,
  }),
  article({
    id: 'kb-bitlocker-recovery',
    title: 'BitLocker recovery key screen at startup',
    category: 'hardware/laptop',
    tags: ['bitlocker', 'recovery key', 'encryption', 'startup'],
    body: `
Your laptop starts with a blue screen titled **BitLocker recovery** asking for a 48-digit recovery key.
The disk is encrypted and the laptop noticed a change (a BIOS update, a new dock, a repair) so it
wants proof that you are the owner.

## Get your recovery key yourself
1. On another device (your phone is fine), go to **https://aka.ms/aadrecoverykey** and sign in with
   your work account.
2. Choose **Devices**, find the laptop by the name on the recovery screen (for example LT-04512), and
   choose **View BitLocker keys**.
3. Match the **Key ID** shown on the blue screen (the first 8 characters are enough) and type the
   48-digit recovery key. The number keys and the function keys both work.
4. Press Enter. The laptop starts normally.

## No other device?
Call the Service Desk on extension 4357 with the laptop name and the Key ID. After verifying who you
are, we read the key to you.

## It asks every time I start
If the recovery screen appears at every start:
1. Sign in, then open a Command Prompt and run **manage-bde -protectors -enable C:**.
2. If it keeps happening, a firmware update may be pending: run **Dell Command Update** or **Lenovo
   Vantage** and restart.
3. Still asking? Raise a ticket; we may need to re-seal the TPM chip.

## Never share the key
The recovery key unlocks the whole disk. Do not write it on the laptop or send it by email. The
Service Desk will never ask you to read a key to us; we read it to you.
`,
  }),
  article({
    id: 'kb-lost-device',
    title: 'Lost or stolen laptop or phone',
    category: 'security/incident',
    tags: ['lost', 'stolen', 'laptop', 'mobile', 'security'],
    body: `
Report a lost or stolen company laptop or phone, or a personal phone with work email on it, as soon as
you notice. Quick reporting lets us lock the device before anyone gets to company data.

## Report it now
1. Call the Service Desk on extension 4357 (from any phone: +44 20 7946 0357) and say "lost device".
   Out of hours, the call is forwarded to the on-call engineer.
2. Tell us the type of device, when and where you last had it, and whether it was locked.
3. If it was stolen, report it to the police and send us the crime reference number.

## What we do
- **Laptop**: lock it remotely and disable its BitLocker keys. The disk is encrypted, so data on it
  cannot be read without your password. When it is found, we unlock it.
- **Company phone**: lock it and, if not found within 24 hours, wipe it.
- **Personal phone**: remove only work data (Outlook, Teams, OneDrive); your photos and personal apps
  are not touched.
- Sign your account out of every device and check for unusual sign-ins.

## Change your password
If your password was written down with the device, or the device was unlocked when it was lost,
change your password now at https://passwordreset.microsoftonline.com.

## Get a replacement
A loan laptop can usually be collected from the IT bar the same day. For remote staff we courier one.
Your files in OneDrive are safe: sign in on the new laptop and they come back.

## Found it again?
Tell us. If it was wiped, bring it to the IT bar so we can set it up again.
`,
  }),
  article({
    id: 'kb-password-policy',
    title: 'Password rules and why your password expires',
    category: 'accounts/password',
    tags: ['password', 'policy', 'expiry', 'security'],
    body: `
Your network password protects your email, files and every company application, so it follows a few
rules.

## The rules
- At least **14 characters**. Length matters more than symbols: "Three orange bikes on Tuesday" is
  stronger and easier to remember than "P@ssw0rd1!".
- Not one of your last 10 passwords.
- Not your name, username or a word from a list of commonly breached passwords. The reset page rejects
  these with "This password is too common".
- Passwords expire every **365 days**. You get email reminders 14 days before expiry and Windows
  reminds you at sign-in.
- If we detect your password in a public data breach, we ask you to change it at the next sign-in,
  regardless of its age.

## Change it before it expires
On a company laptop, connected to the office network or the VPN:
1. Press **Ctrl + Alt + Delete** and choose **Change a password**.
2. Type the old password, then the new one twice.
3. Update the password on your phone and other devices (see "Update your password everywhere after
   changing it").

Or change it from any browser at https://myaccount.microsoft.com > **Password**.

## Password managers
You may use the company password manager (1Password, in Company Portal) for work accounts. Do not
store your network password in your browser on a shared computer.

## Forgotten or already expired?
See "Reset a forgotten or expired password".

## Service accounts and shared accounts
Shared logins for systems (for example a shared supplier portal account) must be stored in a shared
vault in the password manager, never in a spreadsheet. Ask the Service Desk to set up a shared vault.
`,
  }),
  article({
    id: 'kb-headset-bluetooth',
    title: 'Pair a Bluetooth headset, mouse or keyboard',
    category: 'hardware/peripherals',
    tags: ['bluetooth', 'headset', 'mouse', 'keyboard', 'pairing'],
    body: `
Bluetooth devices need pairing once per laptop. After that they connect automatically when switched
on near the laptop.

## Pair on Windows
1. Put the device in **pairing mode**: usually hold its power or Bluetooth button for 3 to 5 seconds
   until a light flashes quickly (blue and red on many headsets). Check the device's manual.
2. On the laptop open **Settings** > **Bluetooth & devices** > **Add device** > **Bluetooth**.
3. Choose the device when it appears. Some keyboards show a code: type it on the keyboard and press
   Enter.

## Pair on a Mac
**System Settings** > **Bluetooth**, put the device in pairing mode, choose **Connect**.

## It will not connect
- Charge the device. Low batteries cause drop-outs before they cause a warning.
- Remove it from the list (**Remove device**) and pair again.
- Devices remember a limited number of computers and phones. If it is still connected to your phone,
  turn off Bluetooth on the phone.
- USB receivers (the small dongle that came with Logitech mice and keyboards) are more reliable than
  Bluetooth in busy offices: plug it into the laptop or dock.

## Headset sounds bad in calls
Bluetooth headsets switch to a low-quality mode when the microphone is in use. In Teams, choose the
"Headset" entry for both speaker and microphone. For better call quality, use the USB dongle that came
with business headsets (Jabra Link, Poly BT700) instead of the laptop's Bluetooth.

## Bluetooth missing from Settings
If the Bluetooth switch has disappeared, restart the laptop. If it is still missing, run Dell Command
Update or Lenovo Vantage to reinstall the Bluetooth driver.
`,
  }),
  article({
    id: 'kb-teams-login',
    title: 'Teams will not sign in or keeps showing an error',
    category: 'collaboration/teams',
    tags: ['teams', 'sign-in', 'cache', 'error'],
    body: `
Teams shows "We've run into an issue", loops at the sign-in screen, shows a blank white window, or
says you have no access.

## Try these first
1. **Quit Teams completely**: right-click the Teams icon in the system tray > **Quit**. Closing the
   window only hides it.
2. Start Teams again from the Start menu.
3. Check that Teams in the browser works: https://teams.microsoft.com. If it does, your account is
   fine and the problem is the app on this laptop.

## Clear the Teams cache
1. Quit Teams.
2. Press **Windows key + R**, paste **%localappdata%\\Packages\\MSTeams_8wekyb3d8bbwe\\LocalCache** and
   press Enter.
3. Delete everything in that folder.
4. Start Teams. It takes a little longer the first time and you may need to sign in.
Clearing the cache does not delete chats or files; they are stored in the cloud.

## Error codes
- **caa20002** or **caa70004**: sign-in token problem. Sign out of all Office apps (File > Account >
  Sign out), restart the laptop, sign in again.
- **"You're missing out! Ask your admin to enable Teams"**: your account has no Teams licence. Raise a
  ticket.
- **80080300**: outdated Teams. Install "Microsoft Teams" from Company Portal to update it.

## Guest access to another organisation
To switch to a partner's Teams where you are a guest, click your picture > choose the organisation.
If it says access is blocked, the partner needs to invite you again.

## Teams on your phone
Sign out and back in. On Android, clear the app's storage in Settings > Apps > Teams > Storage.
`,
  }),
  article({
    id: 'kb-scan-to-email',
    title: 'Scan a document to email or to a folder',
    category: 'hardware/printer',
    tags: ['scanner', 'scan', 'printer', 'scan to email'],
    body: `
The office printers scan to your own email address or to a folder in OneDrive. You need your badge.

## Scan to your email
1. Tap your badge on the printer's card reader to sign in.
2. Place the document face up in the top feeder (or face down on the glass for a single page).
3. Choose **Scan to Me**. The scan goes to your work email address as a PDF.
4. Choose **Start**. When finished, tap **Sign out** on the printer.

The email arrives from scanner@example.com within a few minutes. Attachments over 20 MB are split
into several emails; choose a lower resolution for long documents.

## Scan to a folder
Choose **Scan to OneDrive**. The PDF is saved in OneDrive > Scans. This is better for large documents
and anything confidential, because email copies are kept for years.

## Settings worth knowing
- **Duplex**: for double-sided originals, choose 2-sided in the scan options.
- **Searchable PDF**: turn on "OCR" to make the text searchable.
- **Resolution**: 200 dpi for documents, 300 dpi for photos or small print.

## Scans do not arrive
- Check Junk Email; mark scanner@example.com as a safe sender.
- If your badge is not recognised at the printer, it may not be registered for printing: tap it on
  any printer and follow the prompts to link it to your account.
- If the printer shows "Scan to email failed", report it with the printer name on the label; the
  printer may have lost its connection to the mail service.
`,
  }),
  article({
    id: 'kb-browser-slow-cache',
    title: 'Web page not loading correctly: clear the browser cache',
    category: 'network/web',
    tags: ['browser', 'cache', 'cookies', 'chrome', 'edge', 'website'],
    body: `
A web application shows an old version, a blank page, a sign-in loop, or buttons that do nothing,
while it works for colleagues. Clearing your browser's cache and cookies usually fixes it.

## Try a private window first
Open an InPrivate window (Edge: **Ctrl + Shift + N**) or Incognito window (Chrome: **Ctrl + Shift +
N**) and open the site. If it works there, the problem is cached data. If it fails there too, the
problem is elsewhere: raise a ticket with the site address and a screenshot.

## Clear the cache for one site
1. Open the site.
2. Click the padlock (or the "site information" icon) left of the address.
3. Choose **Cookies and site data** > **Manage on-device site data** and delete the entries.
4. Reload with **Ctrl + F5**.

## Clear everything
- **Edge**: **Settings** > **Privacy, search, and services** > **Clear browsing data** > **Choose what
  to clear**. Tick "Cookies" and "Cached images and files", time range "All time".
- **Chrome**: **Ctrl + Shift + Delete**, same choices.
You will be signed out of web sites and will have to sign in again.

## Sign-in loops on Microsoft 365 sites
If you bounce between sign-in pages, you are probably signed in to a personal Microsoft account in the
same browser. Use a separate browser profile for personal accounts (Edge: click your picture > **Add
profile**).

## Extensions
Ad blockers and privacy extensions break some applications. Disable them for the site or try
InPrivate, where extensions are off by default.
`,
  }),

  // ---- internal: agent runbooks ------------------------------------------------------------
  article({
    id: 'kb-runbook-lockout-source',
    title: 'Runbook: unlock an account and find the lockout source',
    category: 'accounts/lockout',
    tags: ['lockout', 'runbook', 'active directory', 'tier1'],
    audience: 'internal',
    body: `
Tier 1 runbook for repeated account lockouts. Verify identity first (callback to the number in the HR
system, or manager confirmation); never unlock on the strength of an email.

## Unlock
1. In the Entra admin centre or Active Directory Users and Computers, find the user and check
   **Account is locked out**.
2. Unlock. Do not reset the password unless the user asks; a reset creates another round of stale
   credentials.

## Find the source
1. Open the **Lockout Status** tool (lockoutstatus.exe on the Tier 1 jump host) and query the user. It
   lists each domain controller, bad password count and time of the last bad attempt.
2. On the domain controller with the most recent bad attempt, filter the Security log for event
   **4740** (account locked out). The **Caller Computer Name** is the device sending the old password.
3. For cloud sign-ins, check Entra sign-in logs, filter by user and status "Failure", and look at the
   **Client app** and **Device** columns. Exchange ActiveSync entries with an old iOS user agent point
   at the native Mail app on a phone.
4. Common sources: phones on Corp-WiFi (RADIUS server NPS01 logs event 6273), mapped drives with saved
   credentials, a disconnected RDP session on a server, scheduled tasks.

## Close the loop
Tell the user which device it is and walk them through "Update your password everywhere after changing
it". Record the source in the ticket's resolution so repeat tickets can link to it.

## Escalate to Tier 2 security when
- Bad attempts come from an IP outside the company or from a country the user is not in.
- More than one account locks from the same source.
Use the category security/incident so it routes to the security group.
`,
  }),
  article({
    id: 'kb-runbook-mfa-reset',
    title: 'Runbook: reset a user\u2019s MFA methods after identity verification',
    category: 'accounts/mfa',
    tags: ['mfa', 'runbook', 'identity verification', 'authenticator'],
    audience: 'internal',
    body: `
Use when a user lost the phone holding Microsoft Authenticator and has no other registered method.
Resetting MFA is a high-risk action: social engineering against help desks targets exactly this step.

## Verify identity (mandatory, record how in the ticket)
One of:
- A Teams or Zoom **video call** in which the user shows their staff badge and face, compared with the
  HR photo.
- Confirmation from the user's **line manager** by phone to the manager's number in the HR system
  (not a number the caller gives you).
Never accept verification by email or by details such as date of birth or employee number alone.

## Reset
1. Entra admin centre > Users > find the user > **Authentication methods**.
2. Choose **Require re-register multifactor authentication**, and delete the lost device's
   Authenticator entry.
3. Issue a **Temporary Access Pass** valid for 1 hour, single use. Read it to the user on the video
   call; never send it by email or chat.
4. Ask the user to register the new phone at https://aka.ms/mfasetup while you are still on the call.

## Afterwards
- Revoke sessions: Users > the user > **Revoke sessions**.
- If the phone was stolen, also follow the lost-device runbook (Intune wipe).
- Note in the ticket: the verification method, the agent who verified, and the TAP expiry time.

## Red flags: stop and escalate to security
- The caller is in a hurry, senior, travelling, and cannot do video.
- The request comes shortly after a password reset request for the same user.
- The "new phone number" is a VoIP number.
Escalate with category security/incident and do not reset.
`,
  }),
  article({
    id: 'kb-runbook-print-spooler',
    title: 'Runbook: print queue stuck on the print server',
    category: 'hardware/printer',
    tags: ['printer', 'runbook', 'print server', 'spooler'],
    audience: 'internal',
    body: `
When several users on one floor report a printer offline or jobs stuck and the printer itself shows
"Ready", the queue on the print server is usually the problem.

## Check
1. RDP to **PRINT01** with your admin account.
2. Open **Print Management** > Print Servers > PRINT01 > **Printers**. Find the printer (for example
   PRN-3F-EAST). A queue with dozens of jobs and status "Error" or "Offline" confirms it.
3. Ping the printer's IP (on the Ports tab). If it does not answer, the printer or its network port is
   down: send Tier 1 on site to check the cable and power, do not restart the spooler.

## Clear one queue
Right-click the printer > **Open Printer Queue** > Printer > **Cancel All Documents**. Wait one minute.

## Restart the spooler (affects every printer: do it between 12:00 and 13:00 or after 18:00 unless the
whole floor is down)
1. Post in the #it-status Teams channel that printing will pause for two minutes.
2. In an admin PowerShell on PRINT01: **Restart-Service Spooler -Force**.
3. If the service hangs in "Stopping", end the **spoolsv.exe** process, delete the files in
   C:\\Windows\\System32\\spool\\PRINTERS and start the service.

## Follow-Me (PaperCut)
If jobs reach the PaperCut queue but do not release at the device, check the device status in the
PaperCut admin console (Devices). A device in "Error" usually needs its embedded app restarted from the
console: Devices > the device > **Restart**.

## Record
Note the printer, the number of jobs cleared and whether the spooler was restarted in the ticket and in
the printer's asset record. Three spooler restarts in a week means a driver problem: escalate to Tier 2.
`,
  }),
  article({
    id: 'kb-runbook-vpn-gateway',
    title: 'Runbook: VPN gateway checks when many users cannot connect',
    category: 'network/vpn',
    tags: ['vpn', 'runbook', 'globalprotect', 'gateway', 'outage'],
    audience: 'internal',
    body: `
Tier 2 runbook for GlobalProtect problems affecting more than one user. For a single user, use the
public article "VPN connected but internal sites or drives do not work" first.

## Is it an outage?
1. Check the monitoring dashboard: **VPN gateways** panel. Connected users dropping sharply on one
   gateway, or a gateway in red, means an outage.
2. Check the Panorama console: Network > GlobalProtect > Gateways > **Remote Users**. Compare the
   count with the same time last week.
3. If more than 20 users are affected, declare a major incident, post in #it-status and use the
   status page template "VPN degraded".

## Common causes
- **Address pool exhausted**: Gateway > Agent > Client IP Pool shows 100% used. Expand the pool (change
  record needed) or reduce the lifetime of stale sessions.
- **Certificate expired**: users see "Valid client certificate is required". Check the portal and
  gateway certificates under Device > Certificate Management. Renew following the PKI runbook.
- **SAML sign-in failing**: users see a blank or error page in the embedded browser. Check the Entra
  enterprise application "GlobalProtect" for an expired signing certificate.
- **ISP problem**: one region only. Check the ISP status page and fail over the gateway DNS record to
  the other region.

## Workarounds for users
Email, Teams, OneDrive and SharePoint work without the VPN. Post that in the status message so
people can keep working.

## After the incident
Write a problem record. Link tickets raised during the outage to the major incident so they are closed
together when it ends.
`,
  }),
  article({
    id: 'kb-runbook-leaver',
    title: 'Runbook: process a leaver on the last working day',
    category: 'accounts/offboarding',
    tags: ['leaver', 'offboarding', 'runbook', 'checklist'],
    audience: 'internal',
    body: `
Checklist for the agent handling a leaver request. Most steps are automated by the HR feed; this list
covers what to check and what is manual.

## Before the last day
- Confirm the request was raised or approved by the leaver's manager (not the leaver).
- Check for shared mailboxes, distribution lists, Teams and SharePoint sites where the leaver is the
  **only owner**; ask the manager for a new owner.
- Check for service accounts or scheduled tasks running as the leaver (Tier 2 query "objects owned by
  user" in the identity governance tool).

## On the last day, at the time in the request
1. Confirm the HR feed disabled the account (Entra: Account enabled = No). If not, disable it by hand.
2. **Revoke sessions** so tokens on phones and browsers stop working.
3. Intune: select the user's devices and **Retire** personal phones, **Wipe** company phones after
   the manager confirms they were returned.
4. Convert the mailbox to a **shared mailbox**, give the named person Full Access, set the automatic
   reply text from the request.
5. OneDrive: give the named person access to the leaver's OneDrive (Microsoft 365 admin > Users >
   the user > OneDrive > Create link to files).
6. Remove licences except Exchange for 90 days.

## Equipment
Mark returned equipment in the asset register. Chase missing equipment with the manager after five
working days.

## Involuntary leavers
Do steps 1 to 3 immediately when the manager or HR calls, before the person is told, and confirm back
to HR by phone.
`,
  }),

  // ---- drafts ---------------------------------------------------------------------------------
  article({
    id: 'kb-draft-vpn-client-migration',
    title: 'Moving from GlobalProtect to the new Zero Trust client',
    category: 'network/vpn',
    tags: ['vpn', 'zero trust', 'migration'],
    status: 'draft',
    body: `
From March, the GlobalProtect VPN will be replaced by the new Zero Trust access client. You will no
longer need to connect a VPN: internal applications will work from anywhere, as long as you are signed
in and your laptop is up to date.

## What changes for you
- The GlobalProtect icon disappears from the system tray and a new "Secure Access" icon appears.
- Shared drives and the intranet open without connecting anything.
- You approve an MFA prompt once a day instead of at every connection.

## The timetable
Departments move one at a time; you will get an email a week before your turn. The client is installed
automatically overnight. Leave your laptop switched on and connected on the night given in the email.

## If something does not work after the move
Restart the laptop. If an internal application still does not open, raise a ticket under
Network > Secure Access and name the application.

(Draft: waiting for the final dates from the network team and screenshots of the new client.)
`,
  }),
  article({
    id: 'kb-draft-printer-fleet-replacement',
    title: 'Runbook draft: onboarding the new printer fleet',
    category: 'hardware/printer',
    tags: ['printer', 'runbook', 'papercut', 'fleet'],
    audience: 'internal',
    status: 'draft',
    body: `
Notes for Tier 2 while the printers on floors 2 to 5 are replaced with the new fleet.

## Per printer
1. Reserve the new device's MAC address in DHCP with the old printer's IP, so the print server port
   does not change.
2. Install the universal driver on PRINT01 (already packaged) and switch the queue to it.
3. Register the device in PaperCut and install the embedded application from the admin console.
4. Test print and Follow-Me release with a test badge, then remove the old device from the asset
   register.

## Known issues
- The new devices ship with scan-to-email pointing at the vendor's SMTP relay: change it to the
  internal relay before going live.
- Card readers need firmware 2.4 or later for the new badges.
- The old toner stock does not fit the new devices. Collect it from each floor's cupboard and send it
  back to the supplier with the returns form on the Tier 2 SharePoint site; do not throw it away.
- Users who printed to a printer directly (not Follow-Me) keep the old queue name; the queue now
  points at the new device, so nothing changes for them. Tell them only if the floor changes.

## Communication
Reception on each floor puts up the "new printers" poster the day before. The public article on
adding a printer does not change, because the queue names stay the same.

(Draft: to be completed after the pilot on floor 3.)
`,
  }),
];
