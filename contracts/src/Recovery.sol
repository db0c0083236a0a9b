// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @notice What Recovery needs of the Medchain contract that created it.
interface IRecoveryHost {
    function isGuardian(address patient, address guardian) external view returns (bool);
    function controllerOf(address patient) external view returns (address);
    function setController(address patient, address controller) external;
}

/// @title Recovery
/// @notice Lost-wallet recovery by the patient's guardians. A patient sets a policy: k of its
///         on-chain guardians and a delay. Guardians approve a new controller B for patient A
///         (the first approval proposes it); at k approvals the recovery is ready after the
///         delay, during which A's current key (its controller's, if it has one) can cancel
///         every pending recovery. After the delay anyone may execute it: Medchain then lets B
///         act as A, and A's old key has no power. A's identity (records, grants, guardians) is
///         unchanged.
/// @dev Created by Medchain's constructor (`Medchain.recovery()`), so it costs Medchain's runtime
///      only a getter and `setController`. Several candidates may be pending at once, each with
///      its own approvals, so a rogue guardian cannot block an honest recovery by proposing its
///      own address. Cancelling, executing and setting a policy bump the patient's round, which
///      voids every pending candidate and approval.
contract Recovery {
    /// @notice The delay used when a policy gives 0.
    uint32 public constant DEFAULT_DELAY = 48 hours;
    /// @notice The shortest delay a policy may set: time for the patient to notice and cancel.
    uint32 public constant MIN_DELAY = 24 hours;
    /// @notice The longest delay a policy may set.
    uint32 public constant MAX_DELAY = 30 days;

    struct Policy {
        uint8 threshold; // approvals needed (0: recovery off)
        uint32 delay; // seconds between the k-th approval and execution
        uint64 round; // bumped by setPolicy, cancel and execute: voids pending recoveries
    }

    /// @dev One candidate controller of one patient in one round.
    struct Pending {
        uint64 round;
        uint8 approvals;
        uint64 readyAt; // 0 until the threshold is reached
    }

    /// @notice The Medchain contract whose patients this recovers.
    IRecoveryHost public immutable medchain;
    mapping(address => Policy) public policies;
    /// @notice Pending recoveries by patient and candidate controller (stale if its round is
    ///         not the patient's current round).
    mapping(address => mapping(address => Pending)) public pending;
    /// @notice Whether a guardian approved a candidate for a patient in a round.
    mapping(address => mapping(uint64 => mapping(address => mapping(address => bool)))) public approved;

    /// @notice The patient (or its controller, `by`) set its recovery policy; pending recoveries
    ///         are void.
    event RecoveryPolicySet(address indexed patient, uint8 threshold, uint32 delay, address by);
    /// @notice A guardian proposed `controller` for `patient`: the first approval of a round.
    event RecoveryProposed(address indexed patient, address indexed controller, address indexed guardian);
    /// @notice A guardian approved `controller` for `patient`; `approvals` so far this round.
    event RecoveryApproved(address indexed patient, address indexed controller, address indexed guardian, uint8 approvals);
    /// @notice The threshold was reached: the recovery may be executed from `readyAt` on.
    event RecoveryReady(address indexed patient, address indexed controller, uint64 readyAt);
    /// @notice The patient's current key (`by`) cancelled every pending recovery of `patient`.
    event RecoveryCancelled(address indexed patient, address by);
    /// @notice The recovery was executed: `controller` acts as `patient` from now on.
    event RecoveryExecuted(address indexed patient, address indexed controller, address by);

    error RecoveryNotPatient(address account, address patient);
    error RecoveryInvalidPolicy(uint8 threshold, uint32 delay);
    error RecoveryNoPolicy(address patient);
    error RecoveryNotGuardian(address account, address patient);
    error RecoveryInvalidController(address controller);
    error RecoveryAlreadyApproved(address guardian, address controller);
    error RecoveryNotPending(address patient, address controller);
    error RecoveryNotReady(address patient, address controller, uint64 readyAt);

    constructor(address host) {
        medchain = IRecoveryHost(host);
    }

    /// @notice Sets `patient`'s recovery policy: `threshold` approvals of its guardians (0 turns
    ///         recovery off) and `delay` seconds (0: DEFAULT_DELAY; else MIN_DELAY..MAX_DELAY).
    ///         The patient's current key only (its controller's after a recovery). Voids every
    ///         pending recovery of the patient.
    function setPolicy(address patient, uint8 threshold, uint32 delay) external {
        _requireActsAsPatient(msg.sender, patient);
        if (delay == 0) delay = DEFAULT_DELAY;
        if (delay < MIN_DELAY || delay > MAX_DELAY) revert RecoveryInvalidPolicy(threshold, delay);
        Policy storage p = policies[patient];
        p.threshold = threshold;
        p.delay = delay;
        ++p.round;
        emit RecoveryPolicySet(patient, threshold, delay, msg.sender);
    }

    /// @notice A guardian of `patient` approves `controller` as the address that will act as the
    ///         patient; the first approval of a candidate in a round proposes it. At the
    ///         policy's threshold the recovery becomes executable after the delay.
    function approve(address patient, address controller) external {
        Policy memory policy = policies[patient];
        if (policy.threshold == 0) revert RecoveryNoPolicy(patient);
        if (!medchain.isGuardian(patient, msg.sender)) revert RecoveryNotGuardian(msg.sender, patient);
        if (controller == address(0)) revert RecoveryInvalidController(controller);
        mapping(address => bool) storage done = approved[patient][policy.round][controller];
        if (done[msg.sender]) revert RecoveryAlreadyApproved(msg.sender, controller);
        done[msg.sender] = true;
        Pending memory r = pending[patient][controller];
        if (r.round != policy.round) {
            r = Pending(policy.round, 0, 0);
            emit RecoveryProposed(patient, controller, msg.sender);
        }
        ++r.approvals;
        emit RecoveryApproved(patient, controller, msg.sender, r.approvals);
        if (r.approvals == policy.threshold) {
            r.readyAt = uint64(block.timestamp) + policy.delay;
            emit RecoveryReady(patient, controller, r.readyAt);
        }
        pending[patient][controller] = r;
    }

    /// @notice The patient's current key cancels every pending recovery of the patient.
    function cancel(address patient) external {
        _requireActsAsPatient(msg.sender, patient);
        ++policies[patient].round;
        emit RecoveryCancelled(patient, msg.sender);
    }

    /// @notice Executes a recovery whose delay has passed; anyone may. Voids the patient's other
    ///         pending recoveries.
    function execute(address patient, address controller) external {
        Policy storage p = policies[patient];
        Pending memory r = pending[patient][controller];
        if (r.round != p.round || r.round == 0) revert RecoveryNotPending(patient, controller);
        if (r.readyAt == 0 || block.timestamp < r.readyAt) revert RecoveryNotReady(patient, controller, r.readyAt);
        ++p.round;
        medchain.setController(patient, controller);
        emit RecoveryExecuted(patient, controller, msg.sender);
    }

    /// @notice The state of `controller`'s recovery of `patient` this round: approvals so far,
    ///         the threshold, and when it may be executed (0: not yet at the threshold, or none).
    function status(address patient, address controller)
        external
        view
        returns (uint8 approvals, uint8 threshold, uint64 readyAt)
    {
        Policy memory p = policies[patient];
        Pending memory r = pending[patient][controller];
        if (r.round != p.round) return (0, p.threshold, 0);
        return (r.approvals, p.threshold, r.readyAt);
    }

    function _requireActsAsPatient(address account, address patient) internal view {
        address controller = medchain.controllerOf(patient);
        if (account != (controller == address(0) ? patient : controller)) revert RecoveryNotPatient(account, patient);
    }
}
