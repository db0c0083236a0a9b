#include <gtest/gtest.h>

#include <medchain/client/problem.hpp>

namespace medchain::client {
namespace {

TEST(ErrcForStatus, EachRefusalHasTheCodeACallerSwitchesOn) {
  EXPECT_EQ(errc_for_status(400), Errc::kInvalidArgument);
  EXPECT_EQ(errc_for_status(401), Errc::kUnauthenticated);
  EXPECT_EQ(errc_for_status(403), Errc::kPermissionDenied);
  EXPECT_EQ(errc_for_status(404), Errc::kNotFound);
  EXPECT_EQ(errc_for_status(405), Errc::kInvalidArgument);
  EXPECT_EQ(errc_for_status(409), Errc::kConflict);
  EXPECT_EQ(errc_for_status(413), Errc::kTooLarge);
  EXPECT_EQ(errc_for_status(422), Errc::kReverted);
  EXPECT_EQ(errc_for_status(429), Errc::kUnavailable);
  EXPECT_EQ(errc_for_status(500), Errc::kUnavailable);
  EXPECT_EQ(errc_for_status(503), Errc::kUnavailable);
}

TEST(ErrorFromAnswer, AProblemGivesTheNodesDetailAndCode) {
  const Error error =
      error_from_answer(403,
                        R"({"type":"/problems/forbidden","title":"Not allowed","status":403,)"
                        R"("detail":"no grant covers imaging","code":"forbidden"})",
                        "GET /v1/blobs");
  EXPECT_EQ(error.code, Errc::kPermissionDenied);
  EXPECT_EQ(error.message, "no grant covers imaging (403 forbidden)");
}

TEST(ErrorFromAnswer, AnythingElseNamesTheRequestAndShowsTheStartOfTheBody) {
  const Error error = error_from_answer(502, "<html>\nBad gateway</html>", "GET /v1/me");
  EXPECT_EQ(error.code, Errc::kUnavailable);
  EXPECT_EQ(error.message, "GET /v1/me answered 502: <html> Bad gateway</html>");
  EXPECT_EQ(error_from_answer(404, "", "GET /x").message, "GET /x answered 404");
}

TEST(JsonFromAnswer, EmptyIsNullAndGarbageIsAProtocolError) {
  EXPECT_TRUE(json_from_answer("", "GET /v1/me")->is_null());
  EXPECT_EQ(json_from_answer(R"({"a":1})", "GET /v1/me")->at("a"), 1);
  const auto garbage = json_from_answer("not json", "GET /v1/me");
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.error().code, Errc::kProtocol);
}

}  // namespace
}  // namespace medchain::client
